import express from 'express';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { statusName } from '../../domain/direct-payment-status.ts';
import { formatDate } from '../../domain/dates.ts';
import { directPaymentFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { endForm, rateForm, resumeForm, suspendForm } from './forms.ts';
import { closingBalance, schedulePage } from './queries.ts';
import { changeRate, endPayments, resumePayments, ScheduleChangeRefused, suspendPayments } from './change-schedule.ts';
import type { Recalculated } from './recalculate.ts';

type Action = 'rate' | 'suspend' | 'resume' | 'end';

const TITLES: Record<Action, string> = {
  rate: 'Change the rate',
  suspend: 'Suspend payments',
  resume: 'Resume payments',
  end: 'End the payments',
};

const DATES: Record<Action, string> = { rate: 'from', suspend: 'from', resume: 'from', end: 'endsOn' };

/** What became of the payments not yet sent, for the message after a change. */
function afterChange(r: Recalculated): string | undefined {
  const parts = [];
  if (r.changed) parts.push(`${r.changed} payment${r.changed === 1 ? '' : 's'} not yet sent ${r.changed === 1 ? 'was' : 'were'} worked out again`);
  if (r.removed) parts.push(`${r.removed} payment${r.removed === 1 ? ' is' : 's are'} no longer due`);
  if (r.onRuns) parts.push(`${r.onRuns} payment${r.onRuns === 1 ? ' is' : 's are'} already on a payment run and keep${r.onRuns === 1 ? 's' : ''} the amount the run fixed`);
  return parts.length ? `${parts.join('; ')}.` : undefined;
}

/**
 * A direct payment's payment schedule: the rate from each date, suspensions, the end, and what is
 * paid next. Staff who may read the record see it; practitioners, managers and finance change it.
 */
export function schedulesRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  async function load(req: express.Request, user: CurrentUser, page: string) {
    const today = clock.today();
    return db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const schedule = await schedulePage(trx, dp.id, today);
      await audit(trx, user, { action: 'view', entityType: 'payment-schedule', entityId: dp.id, personId: dp.person_id, details: { page } }, req.ip);
      return { dp, schedule };
    });
  }

  router.get('/direct-payments/:dpId/schedule', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const { dp, schedule } = await load(req, user, 'schedule');
    const closing = schedule?.terms.endsOn ? await closingBalance(db, dp.id, schedule.terms, schedule.terms.endsOn) : null;
    res.render('schedules/views/schedule.njk', {
      pageTitle: `Payment schedule for ${dp.reference}`,
      dp,
      s: schedule,
      closing,
      statusName: statusName(dp.status),
      canChange: can(user, 'schedules:write') && schedule !== null,
      backLink: `/direct-payments/${dp.id}/payments`,
    });
  });

  const formPage = (res: express.Response, action: Action, dp: DirectPaymentRow, locals: { values: Record<string, unknown>; errors?: FormErrors; [k: string]: unknown }) =>
    res.status(locals.errors ? 400 : 200).render(`schedules/views/${action}.njk`, {
      pageTitle: TITLES[action],
      dp,
      action: `/direct-payments/${dp.id}/schedule/${action}`,
      backLink: `/direct-payments/${dp.id}/schedule`,
      ...locals,
    });

  const forms: Record<Action, z.ZodType> = { rate: rateForm, suspend: suspendForm, resume: resumeForm, end: endForm };

  for (const action of ['rate', 'suspend', 'resume', 'end'] as const) {
    router.get(`/direct-payments/:dpId/schedule/${action}`, requireCapability('schedules:write'), async (req, res) => {
      const user = userOf(req);
      const { dp, schedule } = await load(req, user, action);
      if (!schedule) return res.redirect(303, `/direct-payments/${dp.id}/schedule`);
      formPage(res, action, dp, { values: {}, s: schedule });
    });

    router.post(`/direct-payments/:dpId/schedule/${action}`, requireCapability('schedules:write'), async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const dp = await directPaymentFor(db, user, param(req, 'dpId'), today);
      const values = { ...(req.body as Record<string, unknown>) };
      delete values._csrf;
      const schedule = await schedulePage(db, dp.id, today);
      if (!schedule) return res.redirect(303, `/direct-payments/${dp.id}/schedule`);
      const form = parseForm(forms[action], req.body, { dates: [DATES[action]] });
      if (!form.ok) return formPage(res, action, dp, { values, errors: form.errors, s: schedule });
      // Ending shows where the money stands first, and ends only once that has been seen.
      const end = action === 'end' ? (form.data as z.infer<typeof endForm>) : null;
      if (end && !end.confirmed) {
        if (end.endsOn < schedule.terms.startsOn) {
          const message = `Payments started on ${formatDate(schedule.terms.startsOn)}. Choose that date or a later one.`;
          return formPage(res, action, dp, { values, s: schedule, errors: fieldError('endsOn', message, '#endsOn-day') });
        }
        const closing = await closingBalance(db, dp.id, schedule.terms, end.endsOn);
        await audit(db, user, { action: 'view', entityType: 'payment-schedule', entityId: dp.id, personId: dp.person_id, details: { page: 'end-check', endsOn: end.endsOn } }, req.ip);
        return res.render('schedules/views/end-check.njk', {
          pageTitle: 'Check before ending the payments',
          dp,
          closing,
          end,
          values,
          action: `/direct-payments/${dp.id}/schedule/end`,
          backLink: `/direct-payments/${dp.id}/schedule/end`,
        });
      }
      try {
        const who = { user, today, ip: req.ip };
        const result = await db.transaction().execute(async (trx) => {
          const current = await directPaymentFor(trx, user, dp.id, today);
          if (action === 'rate') {
            const d = form.data as z.infer<typeof rateForm>;
            return changeRate(trx, current, { from: d.from, weeklyAmountPence: d.weeklyAmount, weeklyContributionPence: d.weeklyContribution, reason: d.reason }, who);
          }
          if (action === 'suspend') return suspendPayments(trx, current, form.data as z.infer<typeof suspendForm>, who);
          if (action === 'resume') return resumePayments(trx, current, form.data as z.infer<typeof resumeForm>, who);
          return endPayments(trx, current, end!, who);
        });
        const done: Record<Action, string> = { rate: 'New rate saved', suspend: 'Payments suspended', resume: 'Payments resumed', end: 'Payments ended' };
        await flashThenRedirect(req, res, { title: done[action], text: afterChange(result) }, `/direct-payments/${dp.id}/schedule`);
      } catch (err) {
        if (!(err instanceof ScheduleChangeRefused)) throw err;
        formPage(res, action, dp, { values, s: schedule, errors: fieldError(err.field, err.message, `#${err.field}-day`) });
      }
    });
  }

  return router;
}
