import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { DUMMY_HASH, verifyPassword } from '../../platform/auth/passwords.ts';
import { checkAccount } from '../../domain/modulus-check.ts';
import { directPaymentFor, type DirectPayment } from '../direct-payments/queries.ts';
import { maskAccountNumber, maskSortCode } from '../direct-payments/bank-details.ts';
import { PAYMENT_METHOD_NAMES } from '../direct-payments/labels.ts';
import { loadModulusTables } from './tables.ts';
import { phonesOnRecord, passwordHashOf } from './queries.ts';
import { confirmChangeForm, formatSortCode, newBankDetailsForm } from './forms.ts';
import { changeBankDetails, fingerprint, sameDetails, type PendingChange } from './change-bank-details.ts';

declare module 'express-session' {
  interface SessionData {
    bankDetailsChange: PendingChange | undefined;
  }
}

/**
 * Changing a direct payment's bank details, as a defence against mandate fraud: the details on
 * record are only ever shown masked; new ones must pass the modulus check (or be shown not to be
 * checkable); and nothing is saved until a second step where the user confirms they phoned the
 * person on a number we already held and re-enters their own password.
 */
export function bankDetailsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const may = requireCapability('bank-details:change');
  const pathOf = (dp: DirectPayment) => `/direct-payments/${dp.id}/bank-details`;

  const load = async (req: express.Request) => {
    const user = userOf(req);
    const dp = await directPaymentFor(db, user, param(req, 'dpId'), clock.today());
    return { user, dp };
  };
  const pendingFor = (req: express.Request, dp: DirectPayment) => (req.session.bankDetailsChange?.dpId === dp.id ? req.session.bankDetailsChange : undefined);
  const saveSession = (req: express.Request) => new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));

  const common = (dp: DirectPayment) => ({
    dp,
    personName: `${dp.given_name} ${dp.family_name}`,
    payeeName: payeeNameOf(dp),
    current: dp.sort_code || dp.account_number ? { name: dp.account_name, sortCode: maskSortCode(dp.sort_code), accountNumber: maskAccountNumber(dp.account_number) } : null,
    backLink: `/direct-payments/${dp.id}`,
  });

  const formPage = (res: express.Response, status: number, dp: DirectPayment, locals: { values: Record<string, string>; errors?: FormErrors }) =>
    res.status(status).render('bank-details/views/bank-details.njk', {
      pageTitle: `Bank details for direct payment ${dp.reference}`,
      ...common(dp),
      bankAccount: dp.payment_method === 'bank_account',
      methodName: PAYMENT_METHOD_NAMES[dp.payment_method],
      ...locals,
    });

  const checkPage = async (res: express.Response, status: number, dp: DirectPayment, change: PendingChange, locals: { verified?: boolean; errors?: FormErrors } = {}) =>
    res.status(status).render('bank-details/views/check.njk', {
      pageTitle: 'Check the new bank details',
      ...common(dp),
      change: { ...change, sortCode: formatSortCode(change.sortCode) },
      phones: await phonesOnRecord(db, dp.person_id),
      backLink: pathOf(dp),
      ...locals,
    });

  router.get('/direct-payments/:dpId/bank-details', may, async (req, res) => {
    const { user, dp } = await load(req);
    await audit(db, user, { action: 'view', entityType: 'bank-details', entityId: dp.id, personId: dp.person_id }, req.ip);
    // Coming back from the check page to change something: what they typed, never the details on record.
    const pending = pendingFor(req, dp);
    const values: Record<string, string> = pending ? { account_name: pending.accountName, sort_code: formatSortCode(pending.sortCode), account_number: pending.accountNumber } : {};
    formPage(res, 200, dp, { values });
  });

  router.post('/direct-payments/:dpId/bank-details', may, async (req, res) => {
    const { user, dp } = await load(req);
    if (dp.payment_method !== 'bank_account') notFound();
    const values = typed(req.body, ['account_name', 'sort_code', 'account_number']);
    const form = parseForm(newBankDetailsForm, req.body);
    let errors = form.ok ? undefined : form.errors;
    let modulusCheck = 'not made';
    if (form.ok) {
      const d = form.data;
      const tables = await loadModulusTables(db);
      const result = tables ? checkAccount(tables, d.sort_code, d.account_number) : null;
      modulusCheck = !result ? 'not checked: the modulus-checking tables have not been imported' : !result.valid ? 'failed' : result.checked ? 'passed' : `not checked: ${result.reason.charAt(0).toLowerCase()}${result.reason.slice(1)}`;
      if (result && !result.valid) errors = fieldError('account_number', `${result.reason}.`);
      else if (sameDetails(dp, { accountName: d.account_name, sortCode: d.sort_code, accountNumber: d.account_number })) {
        errors = fieldError('account_number', 'These are the bank details already on record. Enter the new details, or go back if nothing has changed.');
      }
    }
    await audit(db, user, { action: 'view', entityType: 'bank-details', entityId: dp.id, personId: dp.person_id, details: { step: 'new details entered', accepted: !errors, modulusCheck } }, req.ip);
    if (!form.ok || errors) return formPage(res, 400, dp, { values, errors });
    req.session.bankDetailsChange = {
      dpId: dp.id,
      accountName: form.data.account_name,
      sortCode: form.data.sort_code,
      accountNumber: form.data.account_number,
      replaces: fingerprint(dp),
      modulusCheck,
    };
    await saveSession(req);
    res.redirect(303, `${pathOf(dp)}/check`);
  });

  router.get('/direct-payments/:dpId/bank-details/check', may, async (req, res) => {
    const { user, dp } = await load(req);
    const pending = pendingFor(req, dp);
    if (!pending) return res.redirect(303, pathOf(dp));
    await audit(db, user, { action: 'view', entityType: 'bank-details', entityId: dp.id, personId: dp.person_id, details: { step: 'check new details' } }, req.ip);
    await checkPage(res, 200, dp, pending);
  });

  router.post('/direct-payments/:dpId/bank-details/check', may, async (req, res) => {
    const { user, dp } = await load(req);
    const pending = pendingFor(req, dp);
    if (!pending) return res.redirect(303, pathOf(dp));
    const verified = [req.body?.verified].flat().includes('yes');
    const form = parseForm(confirmChangeForm(payeeNameOf(dp)), req.body);
    if ((await phonesOnRecord(db, dp.person_id)).length === 0) {
      return checkPage(res, 400, dp, pending, { verified, errors: fieldError('verified', `There is no phone number on our records for ${dp.given_name} or their contacts. Add one to their record first`) });
    }
    if (!form.ok) return checkPage(res, 400, dp, pending, { verified, errors: form.errors });
    // Always verify against a hash, so a deactivated account takes as long as a wrong password.
    const passwordOk = await verifyPassword((await passwordHashOf(db, user.id)) ?? DUMMY_HASH, form.data.password);
    if (!passwordOk) {
      await audit(db, user, { action: 'sign_in_failed', entityType: 'bank-details', entityId: dp.id, personId: dp.person_id, details: { step: 'confirm change' } }, req.ip);
      return checkPage(res, 400, dp, pending, { verified, errors: fieldError('password', 'The password is not right. Enter the password you use to sign in') });
    }
    const outcome = await changeBankDetails(db, user, pending, req.ip);
    delete req.session.bankDetailsChange;
    if (outcome === 'changed-meanwhile') {
      const fresh = await directPaymentFor(db, user, dp.id, clock.today());
      await saveSession(req);
      return formPage(res, 409, fresh, {
        values: {},
        errors: fieldError('account_name', 'Someone else changed these bank details while you were checking yours, so nothing was saved. Look at the details on record, then enter the new ones again if they still need changing'),
      });
    }
    await flashThenRedirect(req, res, { title: 'Bank details changed', text: `Payments will now go to the account ending ${pending.accountNumber.slice(-4)}.` }, pathOf(dp));
  });

  return router;
}

/** Who holds the account the money goes to. */
function payeeNameOf(dp: DirectPayment): string {
  if (dp.payee === 'representative' && dp.representative_name) return dp.representative_name;
  if (dp.payee === 'provider' && dp.provider_name) return dp.provider_name;
  return `${dp.given_name} ${dp.family_name}`;
}

/** What was typed, as strings, to show back on a failed form. */
function typed(body: unknown, fields: string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((name) => [name, typeof b[name] === 'string' ? (b[name] as string) : '']));
}
