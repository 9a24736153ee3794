import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { can } from '../../platform/permissions.ts';
import { f, fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { formatDate } from '../../domain/dates.ts';
import { COMPLAINT_RULES, nextStage, stageRule, deadlineState } from '../../domain/complaint-deadlines.ts';
import { loadHolidays } from '../payments/holidays.ts';
import { directPaymentFor } from '../payments/direct-payment-access.ts';
import { complaintFor, historyOf, MOVE_TO, nextStepOf, openComplaints, OUTCOMES, RECEIVED_BY, recentlyClosed, STAGE_NAMES, type ComplaintRow } from './queries.ts';
import { acknowledge, close, escalate, makeComplaint, respond } from './progress.ts';
import { tellPerson } from './notifications.ts';

const TEXT_MAX = 5000;

/**
 * Complaints: made by the person online (under /my) or logged by staff from a phone call or
 * letter; acknowledged and answered within the statutory timescales of the council's jurisdiction
 * (domain/complaint-deadlines.ts); escalated stage by stage; a manager's list of what is overdue.
 */
export function complaintsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const own = requireCapability('own:read');

  // ---- The person's pages (English and Welsh) ----

  const mySchema = (t: (k: string, v?: Record<string, unknown>) => string) =>
    z.object({
      summary: f.text(t('complaints:errors.summary'), TEXT_MAX, t('complaints:errors.tooLong', { max: TEXT_MAX })),
      wantedOutcome: f.optionalText(TEXT_MAX, t('complaints:errors.tooLong', { max: TEXT_MAX })),
    });

  router.get('/my/direct-payments/:directPaymentId/complaints/new', own, async (req, res) => {
    const user = userOf(req);
    const dp = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'directPaymentId'), clock.today());
      if (dp.status === 'draft') notFound();
      await audit(trx, user, { action: 'view', entityType: 'complaint-form', entityId: dp.id, personId: dp.person_id }, req.ip);
      return dp;
    });
    res.render('complaints/views/my-new.njk', myNewPage(res, user, dp, {}, undefined));
  });

  router.post('/my/direct-payments/:directPaymentId/complaints/new', own, async (req, res) => {
    const user = userOf(req);
    const t = res.locals.t;
    const dp = await directPaymentFor(db, user, param(req, 'directPaymentId'), clock.today());
    if (dp.status === 'draft') notFound();
    const parsed = parseForm(mySchema(t), req.body);
    if (!parsed.ok) {
      res.status(400).render('complaints/views/my-new.njk', myNewPage(res, user, dp, req.body ?? {}, parsed.errors));
      return;
    }
    const made = await db.transaction().execute((trx) =>
      makeComplaint(trx, {
        user, councilId: dp.council_id, jurisdiction: dp.jurisdiction, personId: dp.person_id, directPaymentId: dp.id,
        receivedOn: clock.today(), receivedBy: 'online', summary: parsed.data.summary, wantedOutcome: parsed.data.wantedOutcome, ip: req.ip,
      }),
    );
    await flashThenRedirect(req, res, { title: t('complaints:sent.title'), text: t('complaints:sent.text', { reference: made.reference }) }, `/my/complaints/${made.id}`);
  });

  router.get('/my/complaints/:complaintId', own, async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const { k, holidays } = await db.transaction().execute(async (trx) => {
      const k = await complaintFor(trx, user, param(req, 'complaintId'), today);
      await audit(trx, user, { action: 'view', entityType: 'complaint', entityId: k.id, personId: k.person_id }, req.ip);
      return { k, holidays: await loadHolidays(trx) };
    });
    res.render('complaints/views/my-complaint.njk', {
      pageTitle: res.locals.t('complaints:mine.title', { reference: k.reference }),
      k,
      isRepresentative: user.role === 'representative',
      ombudsman: COMPLAINT_RULES[k.jurisdiction].ombudsman,
      canAskNextStage: personMayEscalate(k, today),
      respondOverdue: deadlineState(k.respond_by, k.responded_on, today, holidays) === 'overdue',
      backLink: k.direct_payment_id ? `/my/direct-payments/${k.direct_payment_id}/contact` : '/my',
    });
  });

  // The person asks for the next council stage (Wales: a formal investigation) themself.
  router.post('/my/complaints/:complaintId/escalate', own, async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const k = await complaintFor(db, user, param(req, 'complaintId'), today);
    if (!personMayEscalate(k, today)) notFound();
    await db.transaction().execute((trx) => escalate(trx, { user, complaintId: k.id, on: today, ip: req.ip }));
    await flashThenRedirect(req, res, { title: res.locals.t('complaints:mine.nextStageAsked') }, `/my/complaints/${k.id}`);
  });

  // ---- Staff ----

  router.get('/complaints', requireCapability('complaints:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const { rows, closed } = await db.transaction().execute(async (trx) => {
      const rows = await openComplaints(trx, user.councilId, today, await loadHolidays(trx));
      const closed = await recentlyClosed(trx, user.councilId);
      await audit(trx, user, { action: 'view', entityType: 'complaints-list', details: { open: rows.length, closed: closed.length } }, req.ip);
      return { rows, closed };
    });
    const count = (s: string) => rows.filter((r) => r.next?.state === s).length;
    res.render('complaints/views/list.njk', {
      pageTitle: 'Complaints',
      rows,
      closed,
      outcomes: OUTCOMES,
      overdue: count('overdue'),
      dueSoon: count('due_soon'),
      stageNames: STAGE_NAMES,
      rules: COMPLAINT_RULES[user.jurisdiction],
      canLog: can(user, 'complaints:log'),
    });
  });

  const logSchema = (today: string) =>
    z.object({
      personReference: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''), z.string().regex(/^P-\d{6}$/, { error: 'Enter the person’s reference, like P-000123' })),
      receivedOn: f.date('Enter the date the complaint was received', 'The date the complaint was received must be a real date').refine((v) => v <= today, { error: 'The date the complaint was received must be today or in the past' }),
      receivedBy: f.choice(['phone', 'letter', 'email', 'in_person'] as const, 'Choose how the complaint was received'),
      summary: f.text('Enter what the complaint is about', TEXT_MAX),
      wantedOutcome: f.optionalText(TEXT_MAX),
    });

  router.get('/complaints/new', requireCapability('complaints:log'), (req, res) => {
    res.render('complaints/views/new.njk', logPage({ 'receivedOn-day': '', 'receivedOn-month': '', 'receivedOn-year': '' }, undefined));
  });

  router.post('/complaints/new', requireCapability('complaints:log'), async (req, res) => {
    const user = userOf(req);
    const parsed = parseForm(logSchema(clock.today()), req.body, { dates: ['receivedOn'] });
    if (!parsed.ok) {
      res.status(400).render('complaints/views/new.njk', logPage(req.body ?? {}, parsed.errors));
      return;
    }
    const form = parsed.data;
    const made = await db.transaction().execute(async (trx) => {
      const person = await trx.selectFrom('people').select(['id', 'council_id']).where('reference', '=', form.personReference).where('council_id', '=', user.councilId).executeTakeFirst();
      if (!person) return null;
      const dp = await trx.selectFrom('direct_payments').select('id').where('person_id', '=', person.id).where('status', '<>', 'draft').orderBy('created_at', 'desc').executeTakeFirst();
      return makeComplaint(trx, {
        user, councilId: user.councilId, jurisdiction: user.jurisdiction, personId: person.id, directPaymentId: dp?.id ?? null,
        receivedOn: form.receivedOn, receivedBy: form.receivedBy, summary: form.summary, wantedOutcome: form.wantedOutcome, ip: req.ip,
      });
    });
    if (!made) {
      res.status(400).render('complaints/views/new.njk', logPage(req.body ?? {}, fieldError('personReference', 'There is no one with that reference in your council')));
      return;
    }
    await flashThenRedirect(req, res, { title: `Complaint ${made.reference} logged`, text: `Acknowledge it by ${formatDate(made.acknowledgeBy)}.` }, `/complaints/${made.id}`);
  });

  router.get('/complaints/:complaintId', requireCapability('complaints:read'), async (req, res) => {
    const user = userOf(req);
    const page = await staffPage(services, req, user);
    res.render('complaints/views/complaint.njk', { ...page, values: {}, errors: undefined });
  });

  const dateField = (name: string) => f.date(`Enter the date ${name}`, `The date ${name} must be a real date`);
  const actions = {
    acknowledge: {
      schema: z.object({ on: dateField('it was acknowledged'), agreedRespondBy: f.optionalDate('The agreed response date must be a real date') }),
      dates: ['on', 'agreedRespondBy'],
    },
    respond: {
      schema: z.object({
        on: dateField('of the response'),
        outcome: f.choice(Object.keys(OUTCOMES) as [keyof typeof OUTCOMES, ...Array<keyof typeof OUTCOMES>], 'Choose the outcome'),
        summary: f.text('Enter what the response said', TEXT_MAX),
        remedy: f.optionalText(TEXT_MAX),
      }),
      dates: ['on'],
    },
    escalate: { schema: z.object({ on: dateField('the person asked') }), dates: ['on'] },
    close: { schema: z.object({ on: dateField('it was closed') }), dates: ['on'] },
  } as const;

  for (const action of Object.keys(actions) as Array<keyof typeof actions>) {
    router.post(`/complaints/:complaintId/${action}`, requireCapability('complaints:manage'), async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const k = await complaintFor(db, user, param(req, 'complaintId'), today);
      const { schema, dates } = actions[action];
      const parsed = parseForm(schema, req.body, { dates: [...dates] });
      const found = parsed.ok ? dateRuleErrors(action, parsed.data as { on: string; agreedRespondBy?: string }, k, today) : parsed.errors;
      // Each form's date boxes carry the action in their ids (one page, several forms).
      const errors = found && { ...found, list: found.list.map((e) => ({ ...e, href: e.href.replace(/^#on-/, `#${action}-on-`) })) };
      if (!parsed.ok || errors) {
        const page = await staffPage(services, req, user);
        res.status(400).render('complaints/views/complaint.njk', { ...page, values: { ...(req.body ?? {}), action }, errors, errorAction: action });
        return;
      }
      const data = parsed.data as Record<string, string>;
      const flash = await db.transaction().execute(async (trx) => {
        if (action === 'acknowledge') {
          const r = await acknowledge(trx, { user, complaintId: k.id, on: data.on!, agreedRespondBy: data.agreedRespondBy || null, ip: req.ip });
          await tellPerson(trx, k, 'acknowledged', `complaint:${k.id}:${k.stage}:acknowledged`, today);
          return { title: 'Acknowledgement recorded', text: `The response is due by ${formatDate(r.respondBy)}.` };
        }
        if (action === 'respond') {
          await respond(trx, { user, complaintId: k.id, on: data.on!, outcome: data.outcome as keyof typeof OUTCOMES, summary: data.summary!, remedy: data.remedy ?? '', ip: req.ip });
          await tellPerson(trx, k, 'responded', `complaint:${k.id}:${k.stage}:responded`, today);
          return { title: k.stage === 'ombudsman' ? 'The Ombudsman’s decision has been recorded' : 'Response recorded' };
        }
        if (action === 'escalate') {
          const to = await escalate(trx, { user, complaintId: k.id, on: data.on!, ip: req.ip });
          return { title: MOVE_TO[to].done };
        }
        await close(trx, { user, complaintId: k.id, on: data.on!, ip: req.ip });
        return { title: `Complaint ${k.reference} closed` };
      });
      await flashThenRedirect(req, res, flash, `/complaints/${k.id}`);
    });
  }

  return router;
}

/** Dates that must fall in the stage: not before it started (or the response), not in the future. */
function dateRuleErrors(action: string, data: { on: string; agreedRespondBy?: string }, k: ComplaintRow, today: string): FormErrors | undefined {
  if (data.on > today) return fieldError('on', 'The date must be today or in the past', '#on-day');
  if (data.on < k.stage_started_on) return fieldError('on', `The date must be on or after ${formatDate(k.stage_started_on)}, when this stage began`, '#on-day');
  if (action === 'close' && k.responded_on && data.on < k.responded_on) return fieldError('on', `The date must be on or after the response on ${formatDate(k.responded_on)}`, '#on-day');
  if (action === 'acknowledge' && data.agreedRespondBy && data.agreedRespondBy < data.on) return fieldError('agreedRespondBy', 'The agreed response date must be on or after the acknowledgement', '#agreedRespondBy-day');
  return undefined;
}

/** The person may ask for the next council stage (not the Ombudsman: that is theirs to contact directly). */
function personMayEscalate(k: ComplaintRow, today: string): boolean {
  const to = nextStage(k.jurisdiction, k.stage);
  if (!to || to === 'ombudsman') return false;
  const overdue = !!k.respond_by && !k.responded_on && today > k.respond_by;
  return !!k.responded_on || overdue;
}

async function staffPage(services: Services, req: express.Request, user: CurrentUser) {
  const today = services.clock.today();
  const { k, history, holidays } = await services.db.transaction().execute(async (trx) => {
    const k = await complaintFor(trx, user, param(req, 'complaintId'), today);
    const history = await historyOf(trx, k.id);
    await audit(trx, user, { action: 'view', entityType: 'complaint', entityId: k.id, personId: k.person_id }, req.ip);
    return { k, history, holidays: await loadHolidays(trx) };
  });
  const rule = stageRule(k.jurisdiction, k.stage);
  const to = nextStage(k.jurisdiction, k.stage);
  const overdue = !!k.respond_by && !k.responded_on && today > k.respond_by;
  const manage = can(user, 'complaints:manage');
  return {
    pageTitle: `Complaint ${k.reference}`,
    k,
    history,
    rule,
    rules: COMPLAINT_RULES[k.jurisdiction],
    next: nextStepOf(k, today, holidays),
    ackState: deadlineState(k.acknowledge_by, k.acknowledged_on, today, holidays),
    respondState: deadlineState(k.respond_by, k.responded_on, today, holidays),
    stageNames: STAGE_NAMES,
    outcomes: OUTCOMES,
    receivedBy: RECEIVED_BY,
    nextStage: to,
    moveTo: to ? MOVE_TO[to] : null,
    may: {
      acknowledge: manage && !k.closed_on && !k.acknowledged_on && k.stage !== 'ombudsman',
      respond: manage && !k.closed_on && !k.responded_on && (!!k.acknowledged_on || k.stage === 'ombudsman'),
      escalate: manage && !!to && (!!k.responded_on || overdue),
      close: manage && !k.closed_on && !!k.responded_on,
      england: k.jurisdiction === 'england',
    },
    today,
    backLink: '/complaints',
  };
}

function logPage(values: Record<string, unknown>, errors: FormErrors | undefined) {
  return {
    pageTitle: 'Log a complaint',
    values,
    errors,
    receivedByItems: Object.entries(RECEIVED_BY).filter(([k]) => k !== 'online'),
    backLink: '/complaints',
  };
}

function myNewPage(res: express.Response, user: CurrentUser, dp: { id: string; jurisdiction: 'england' | 'wales'; personName: string }, values: Record<string, unknown>, errors: FormErrors | undefined) {
  return {
    pageTitle: res.locals.t('complaints:new.title'),
    dp,
    isRepresentative: user.role === 'representative',
    ombudsman: COMPLAINT_RULES[dp.jurisdiction].ombudsman,
    values,
    errors,
    backLink: `/my/direct-payments/${dp.id}/contact`,
  };
}
