import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { can } from '../../platform/permissions.ts';
import { param } from '../../platform/http/errors.ts';
import { f, fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { formatDate } from '../../domain/dates.ts';
import { statusName } from '../../domain/direct-payment-status.ts';
import { londonDate } from '../../platform/services.ts';
import { directPaymentFor } from '../payments/direct-payment-access.ts';
import { AGREEABLE_STATUSES, agreementFor, agreementsFor, termsFor } from './queries.ts';
import { createAgreement, NotReadyForAgreement } from './create-agreement.ts';
import { recordSigned } from './record-signed.ts';
import { termsAsRow, termsView } from './terms.ts';
import { sendAgreementPdf } from './pdf.ts';

const signedSchema = z.object({
  signedOn: f.date('Enter the date the agreement was signed', 'The date it was signed must be a real date, like 23 11 2026'),
  signedBy: f.text('Enter the name of the person who signed it', 200, 'The name must be 200 characters or fewer'),
});

export function agreementsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  // Any member of staff who may read the record sees the agreement's versions; practitioners and managers draw them up.
  router.get('/direct-payments/:dpId/agreement', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      await audit(trx, user, { action: 'view', entityType: 'agreements', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, ...(await newAgreementPage(trx, dp, today)) };
    });
    res.render('agreements/views/new.njk', { ...page, canCreate: can(user, 'agreements:write') });
  });

  router.post('/direct-payments/:dpId/agreement', requireCapability('agreements:write'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    try {
      const agreementId = await db.transaction().execute(async (trx) => {
        const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
        return createAgreement(trx, dp, user, today, req.ip);
      });
      res.redirect(303, `/agreements/${agreementId}`);
    } catch (err) {
      if (!(err instanceof NotReadyForAgreement)) throw err;
      const dp = await directPaymentFor(db, user, param(req, 'dpId'), today);
      res.status(400).render('agreements/views/new.njk', {
        dp,
        ...(await newAgreementPage(db, dp, today)),
        canCreate: true,
        errors: { list: [{ text: 'The funding panel must approve the direct payment before an agreement can be made', href: '#main-content' }], fields: {} },
      });
    }
  });

  router.get('/agreements/:agreementId', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const found = await db.transaction().execute(async (trx) => {
      const found = await agreementFor(trx, user, param(req, 'agreementId'), today);
      await audit(trx, user, { action: 'view', entityType: 'agreement', entityId: found.agreement.id, personId: found.dp.person_id }, req.ip);
      return found;
    });
    res.render('agreements/views/agreement.njk', agreementPage(user, found, { values: {} }));
  });

  router.get('/agreements/:agreementId/pdf', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const { agreement, dp } = await db.transaction().execute(async (trx) => {
      const found = await agreementFor(trx, user, param(req, 'agreementId'), today);
      await audit(trx, user, { action: 'download', entityType: 'agreement', entityId: found.agreement.id, personId: found.dp.person_id }, req.ip);
      return found;
    });
    await sendAgreementPdf(res, agreement, dp);
  });

  router.post('/agreements/:agreementId/signed', requireCapability('agreements:write'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const found = await agreementFor(db, user, param(req, 'agreementId'), today);
    const parsed = parseForm(signedSchema, req.body, { dates: ['signedOn'] });
    let errors: FormErrors | null = parsed.ok ? null : parsed.errors;
    if (parsed.ok) {
      const drawnUp = londonDate(found.agreement.created_at);
      if (parsed.data.signedOn > today) errors = fieldError('signedOn', 'The date it was signed must be today or in the past', '#signedOn-day');
      else if (parsed.data.signedOn < drawnUp) errors = fieldError('signedOn', `The date it was signed must be on or after the day the agreement was drawn up (${formatDate(drawnUp)})`, '#signedOn-day');
    }
    if (!parsed.ok || errors) {
      res.status(400).render('agreements/views/agreement.njk', agreementPage(user, found, { errors, values: req.body ?? {} }));
      return;
    }
    const result = await db.transaction().execute((trx) =>
      recordSigned(trx, { agreementId: found.agreement.id, signedOn: parsed.data.signedOn, signedBy: parsed.data.signedBy, user, today, ip: req.ip }),
    );
    if (result === 'replaced') {
      const again = await agreementFor(db, user, found.agreement.id, today);
      res.status(400).render('agreements/views/agreement.njk', agreementPage(user, again, {
        errors: { list: [{ text: 'A newer version of this agreement has been drawn up: record the signature on that version', href: '#main-content' }], fields: {} },
        values: {},
      }));
      return;
    }
    if (result === 'signed') {
      await flashThenRedirect(req, res, { title: 'Agreement recorded as signed', text: 'The payments have been set up.' }, `/agreements/${found.agreement.id}`);
    } else {
      res.redirect(303, `/agreements/${found.agreement.id}`);
    }
  });

  return router;
}

type Found = Awaited<ReturnType<typeof agreementFor>>;

function agreementPage(user: CurrentUser, found: Found, extra: { errors?: FormErrors | null; values: Record<string, unknown>; message?: string | null }) {
  const { agreement, dp, isLatest } = found;
  return {
    pageTitle: `Direct payment agreement, version ${agreement.version}`,
    agreement,
    dp,
    isLatest,
    terms: termsView(agreement),
    canSign: !agreement.signed_on && isLatest && can(user, 'agreements:write'),
    backLink: can(user, 'agreements:write') ? `/direct-payments/${dp.id}/agreement` : `/direct-payments/${dp.id}/payments`,
    ...extra,
    errors: extra.errors ?? undefined,
  };
}

async function newAgreementPage(db: Parameters<typeof termsFor>[0], dp: Awaited<ReturnType<typeof directPaymentFor>>, today: string) {
  const ready = AGREEABLE_STATUSES.includes(dp.status);
  return {
    pageTitle: 'Direct payment agreement',
    versions: await agreementsFor(db, dp.id),
    ready,
    statusName: statusName(dp.status),
    terms: ready ? termsView(termsAsRow(await termsFor(db, dp, today))) : null,
    backLink: `/direct-payments/${dp.id}`,
  };
}
