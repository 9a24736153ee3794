import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { directPaymentFor, outcomesPaidFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { outcomeChoices, recordSpending, RECORDABLE_STATUSES, SOMETHING_ELSE, spendingSchema } from './record-spending.ts';

export function spendingRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  // The person's own pages: own:read keeps staff out (they see spending on the payments statement).
  const mayRecord = [requireCapability('own:read'), requireCapability('spending:record')];

  router.get('/my/direct-payments/:dpId/spending/new', ...mayRecord, async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await recordableFor(trx, user, param(req, 'dpId'), today);
      await audit(trx, user, { action: 'view', entityType: 'spending-form', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, choices: await choicesFor(trx, dp) };
    });
    res.render('spending/views/new.njk', formPage(page.dp, page.choices, user.role, {}, undefined));
  });

  router.post('/my/direct-payments/:dpId/spending/new', ...mayRecord, async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const dp = await recordableFor(db, user, param(req, 'dpId'), today);
    const choices = await choicesFor(db, dp);
    const parsed = parseForm(spendingSchema(choices, today), req.body, { dates: ['spentOn'] });
    if (!parsed.ok) {
      res.status(400).render('spending/views/new.njk', formPage(dp, choices, user.role, req.body ?? {}, parsed.errors));
      return;
    }
    await db.transaction().execute((trx) =>
      recordSpending(trx, { directPaymentId: dp.id, personId: dp.person_id, form: parsed.data, choices, user, ip: req.ip }),
    );
    res.redirect(303, `/my/direct-payments/${dp.id}?recorded=yes`);
  });

  return router;
}

async function recordableFor(db: Parameters<typeof directPaymentFor>[0], user: Parameters<typeof directPaymentFor>[1], dpId: string, today: string) {
  const dp = await directPaymentFor(db, user, dpId, today);
  if (!RECORDABLE_STATUSES.includes(dp.status)) notFound();
  return dp;
}

async function choicesFor(db: Parameters<typeof outcomesPaidFor>[0], dp: DirectPaymentRow): Promise<string[]> {
  return outcomeChoices(await outcomesPaidFor(db, dp.plan_id), dp.purpose);
}

function formPage(dp: DirectPaymentRow, choices: string[], role: string, values: Record<string, unknown>, errors: FormErrors | undefined) {
  return {
    pageTitle: 'Record what you bought',
    dp,
    forSomeoneElse: role === 'representative',
    outcomeItems: [...choices.map((text, i) => [String(i), text]), [SOMETHING_ELSE, 'Something else']],
    values,
    errors,
    backLink: `/my/direct-payments/${dp.id}`,
  };
}
