import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { dateFields } from '../people/form-values.ts';
import { settingsForm } from './forms.ts';
import { paymentSettings, saveSettings } from './settings.ts';

const FREQUENCIES = { four_weekly: 'Every 4 weeks', weekly: 'Every week', monthly: 'Every month' };
const CONTRIBUTIONS = {
  net: 'Pay the budget less the person’s contribution (they pay their contribution into the account)',
  gross: 'Pay the whole budget and invoice the person for their contribution',
};

/** The council's payment settings: how often, net or gross, the Bacs details, the contingency. Finance only. */
export function settingsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  const page = (res: express.Response, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('payment-runs/views/settings.njk', {
      pageTitle: 'Payment settings',
      values,
      errors,
      frequencies: FREQUENCIES,
      contributions: CONTRIBUTIONS,
      backLink: '/payment-runs',
    });

  router.get('/payment-runs/settings', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const s = await paymentSettings(db, user.councilId);
    page(res, {
      frequency: s.frequency,
      contributions: s.contributions,
      ...dateFields('cycleAnchorOn', s.cycleAnchorOn),
      contingencyWeeks: String(s.contingencyWeeks),
      serviceUserNumber: s.bacs?.serviceUserNumber,
      serviceUserName: s.bacs?.serviceUserName,
      sortCode: s.bacs?.sortCode,
      accountNumber: s.bacs?.accountNumber,
      accountName: s.bacs?.accountName,
    });
  });

  router.post('/payment-runs/settings', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const values = { ...(req.body as Record<string, unknown>) };
    delete values._csrf;
    const form = parseForm(settingsForm, req.body, { dates: ['cycleAnchorOn'] });
    if (!form.ok) return page(res, values, form.errors);
    const input = { ...form.data, cycleAnchorOn: form.data.cycleAnchorOn || null };
    await db.transaction().execute(async (trx) => {
      await saveSettings(trx, user.councilId, input, user.id);
      await audit(trx, user, { action: 'update', entityType: 'payment-settings', entityId: user.councilId, details: { ...input, accountNumber: `••••${input.accountNumber.slice(-4)}` } }, req.ip);
    });
    await flashThenRedirect(req, res, { title: 'Payment settings saved', text: 'New schedules follow them; existing schedules keep their own terms.' }, '/payment-runs');
  });

  return router;
}
