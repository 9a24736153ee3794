import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { can, isUuid } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { statusName } from '../../domain/direct-payment-status.ts';
import { directPaymentFor } from './direct-payment-access.ts';
import { statementFor } from './statement.ts';
import { movePayment, type MoveResult } from './move-money.ts';
import { scheduleNextPayment } from './start-payments.ts';
import { schedulesRoutes } from '../schedules/routes.ts';

const MESSAGES: Record<'sent' | 'paid', Record<MoveResult, string>> = {
  sent: { moved: 'Payment marked as sent', already: 'That payment had already been sent', not_yet: 'That payment cannot be sent now', on_run: 'That payment is on a payment run, so it is sent with the run' },
  paid: { moved: 'Payment marked as paid', already: 'That payment had already been marked as paid', not_yet: 'Mark the payment as sent before marking it as paid', on_run: 'That payment is on a payment run, so it is marked paid with the run' },
};

export function paymentsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  // The statement: staff who may read the record can see it; only finance officers move money.
  router.get('/direct-payments/:dpId/payments', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const statement = await statementFor(trx, dp.id, today);
      await audit(trx, user, { action: 'view', entityType: 'payment-statement', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, statement };
    });
    res.render('payments/views/statement.njk', {
      pageTitle: `Payments for ${page.dp.reference}`,
      ...page,
      statusName: statusName(page.dp.status),
      canManage: can(user, 'payments:manage'),
      canSeeRuns: can(user, 'payments:approve'),
      backLink: `/direct-payments/${page.dp.id}`,
    });
  });

  for (const step of ['sent', 'paid'] as const) {
    router.post(`/direct-payments/:dpId/payments/:paymentId/${step}`, requireCapability('payments:manage'), async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const paymentId = param(req, 'paymentId');
      if (!isUuid(paymentId)) notFound();
      const result = await db.transaction().execute(async (trx) => {
        const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
        const exists = await trx.selectFrom('payments').select('id').where('id', '=', paymentId).where('direct_payment_id', '=', dp.id).executeTakeFirst();
        if (!exists) notFound();
        return { dp, outcome: await movePayment(trx, { paymentId, directPaymentId: dp.id, step, user, today, ip: req.ip }) };
      });
      await doneThenRedirect(req, res, `${step}-${result.outcome}`, `/direct-payments/${result.dp.id}/payments`);
    });
  }

  // Until the payment run does it overnight, a finance officer adds the next period's payment by hand.
  router.post('/direct-payments/:dpId/payments/next', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const result = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const schedule = await trx.selectFrom('payment_schedules').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirst();
      const added = schedule ? await scheduleNextPayment(trx, schedule.id) : false;
      await audit(trx, user, { action: 'create', entityType: 'payment', entityId: dp.id, personId: dp.person_id, details: { nextPeriod: added } }, req.ip);
      return { dp, added };
    });
    await doneThenRedirect(req, res, result.added ? 'next-moved' : 'next-none', `/direct-payments/${result.dp.id}/payments`);
  });

  // A direct payment's schedule (rates, suspensions, the end) sits beside its statement.
  router.use(schedulesRoutes(services));
  return router;
}

/** What happened, shown once on the next page (the platform flash: nothing in the URL). */
async function doneThenRedirect(req: express.Request, res: express.Response, done: string, url: string): Promise<void> {
  const message = doneMessage(done);
  if (message) await flashThenRedirect(req, res, { title: message }, url);
  else res.redirect(303, url);
}

function doneMessage(done: string): string | null {
  if (done === 'next-moved') return 'Next payment scheduled';
  if (done === 'next-none') return 'There is no further payment to schedule';
  const [step, outcome] = done.split('-') as ['sent' | 'paid', MoveResult];
  return MESSAGES[step]?.[outcome] ?? null;
}
