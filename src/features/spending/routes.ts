import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { allowLargerUploads, type UploadProblem } from '../../platform/http/uploads.ts';
import { receiptStore } from '../../platform/storage/index.ts';
import { isUuid } from '../../platform/permissions.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { directPaymentFor, outcomesPaidFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { outcomeChoices, recordSpendingWithReceipt, RECORDABLE_STATUSES, SOMETHING_ELSE, spendingSchema } from './record-spending.ts';
import { checkReceipt, MAX_RECEIPT_BYTES, receiptFileName, receiptOf } from './receipts.ts';

const FORM_PATH = /^\/my\/direct-payments\/[^/]+\/spending\/new$/;

export function spendingRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const store = receiptStore(services.config);
  allowLargerUploads(FORM_PATH, MAX_RECEIPT_BYTES);
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
    res.render('spending/views/new.njk', formPage(res.locals.t, page.dp, page.choices, user, {}, undefined, false));
  });

  router.post('/my/direct-payments/:dpId/spending/new', ...mayRecord, async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const t = res.locals.t;
    const dp = await recordableFor(db, user, param(req, 'dpId'), today);
    const choices = await choicesFor(db, dp);
    const parsed = parseForm(spendingSchema(choices, today, t), req.body, { dates: ['spentOn'] });
    const receipt = await checkReceipt(req.file, res.locals.uploadProblem as UploadProblem | undefined, t);
    if (!parsed.ok || !receipt.ok) {
      const errors: FormErrors = parsed.ok ? { list: [], fields: {} } : parsed.errors;
      if (!receipt.ok) {
        errors.fields.file = { text: receipt.message };
        errors.list.push({ text: receipt.message, href: '#file' });
      }
      const hadFile = Boolean(req.file?.originalname) || Boolean(res.locals.uploadProblem);
      res.status(400).render('spending/views/new.njk', formPage(t, dp, choices, user, req.body ?? {}, errors, hadFile));
      return;
    }
    await recordSpendingWithReceipt(db, store, {
      directPaymentId: dp.id, personId: dp.person_id, form: parsed.data, choices, user, ip: req.ip, receipt: receipt.receipt,
    });
    res.redirect(303, `/my/direct-payments/${dp.id}?recorded=${receipt.receipt ? 'receipt' : 'yes'}`);
  });

  // A receipt, only to someone who may see the direct payment: the person, their representative,
  // or staff who may see the spending list (the payments statement). Served from storage outside the web root, never cached.
  const sendReceipt = async (req: express.Request, res: express.Response) => {
    const user = userOf(req);
    const spendingId = param(req, 'spendingId');
    if (!isUuid(spendingId)) notFound();
    const found = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), clock.today());
      const receipt = await receiptOf(trx, dp.id, spendingId);
      if (!receipt) notFound();
      await audit(trx, user, { action: 'download', entityType: 'receipt', entityId: receipt.id, personId: dp.person_id }, req.ip);
      return receipt;
    });
    const bytes = await store.get(found.storage_key);
    if (!bytes) {
      services.logger.error({ receiptId: found.id }, 'receipt file missing from storage');
      notFound();
    }
    res.set({
      'Content-Type': found.media_type,
      'Content-Length': String(bytes.length),
      'Content-Disposition': `inline; filename="${receiptFileName(found.media_type, found.spent_on)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // The file is shown on its own: nothing in it may run script or load anything.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'",
    });
    res.end(bytes);
  };
  router.get('/my/direct-payments/:dpId/spending/:spendingId/receipt', requireCapability('own:read'), sendReceipt);
  router.get('/direct-payments/:dpId/spending/:spendingId/receipt', requireCapability('people:read'), sendReceipt);

  return router;
}

async function recordableFor(db: Parameters<typeof directPaymentFor>[0], user: CurrentUser, dpId: string, today: string) {
  const dp = await directPaymentFor(db, user, dpId, today);
  if (!RECORDABLE_STATUSES.includes(dp.status)) notFound();
  return dp;
}

async function choicesFor(db: Parameters<typeof outcomesPaidFor>[0], dp: DirectPaymentRow): Promise<string[]> {
  return outcomeChoices(await outcomesPaidFor(db, dp.plan_id), dp.purpose);
}

function formPage(t: Translate, dp: DirectPaymentRow, choices: string[], user: CurrentUser, values: Record<string, unknown>, errors: FormErrors | undefined, hadFile: boolean) {
  return {
    pageTitle: t('spending:title'),
    dp,
    forSomeoneElse: user.role === 'representative',
    outcomeItems: [...choices.map((text, i) => [String(i), text]), [SOMETHING_ELSE, t('spending:outcome.somethingElse')]],
    values,
    errors,
    chooseReceiptAgain: Boolean(errors) && hadFile,
    backLink: `/my/direct-payments/${dp.id}`,
  };
}
