import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Database } from '../../platform/db/database.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { isUuid } from '../../platform/permissions.ts';
import { BAND_NAMES } from '../../domain/minimum-wage.ts';
import { directPaymentFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { assistantById, assistantsFor, checklistFor, checklistItems, wageCheckFor, wageFloors, wageRates } from './queries.ts';
import { addAssistant, ASSISTANT_DATES, assistantProblems, assistantSchema, assistantValues, DBS_LEVELS, PAY_PERIODS, PAYROLL, updateAssistant } from './save-assistant.ts';
import { CHECKLIST_DATES, checklistSchema, checklistValues, saveChecklist } from './save-checklist.ts';
import { familyDecisionSchema, recordFamilyDecision } from './family-decision.ts';
import { recordTimesheet, timesheetSchema, timesheetsFor } from './timesheets.ts';
import { addFloor, addRate, DuplicateRateError, floorSchema, rateSchema } from './wage-rates.ts';

// A person who employs PAs with their direct payment, and their practitioner, see the same pages
// under two roots: staff at /direct-payments/:id/employer and /assistants/:id; the person (or their
// representative) at /my/direct-payments/:id/employer and /my/assistants/:id. The words come from
// the `employers` catalogue, so the person's pages are in English or Welsh.
type Mode = 'staff' | 'my';
const EMPLOYING_STATUSES = ['approved', 'agreed', 'active', 'suspended', 'ended'];

async function employerDp(db: Database, user: CurrentUser, dpId: string, today: string): Promise<DirectPaymentRow> {
  const dp = await directPaymentFor(db, user, dpId, today);
  if (!EMPLOYING_STATUSES.includes(dp.status)) notFound();
  return dp;
}

async function assistantFor(db: Database, user: CurrentUser, assistantId: string, today: string) {
  if (!isUuid(assistantId)) notFound();
  const assistant = await assistantById(db, assistantId);
  if (!assistant) notFound();
  const dp = await employerDp(db, user, assistant.direct_payment_id, today);
  return { assistant, dp };
}

const links = (mode: Mode, dpId: string) => {
  const root = mode === 'my' ? `/my/direct-payments/${dpId}` : `/direct-payments/${dpId}`;
  return {
    overview: `${root}/employer`,
    newAssistant: `${root}/employer/assistants/new`,
    checklist: `${root}/employer/checklist`,
    assistant: (id: string) => (mode === 'my' ? `/my/assistants/${id}` : `/assistants/${id}`),
    home: root,
  };
};

export function employersRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const guards: Record<Mode, { read: express.RequestHandler[]; write: express.RequestHandler[] }> = {
    staff: { read: [requireCapability('people:read')], write: [requireCapability('employers:write')] },
    my: { read: [requireCapability('employers:own')], write: [requireCapability('employers:own')] },
  };

  const overview = async (mode: Mode, req: express.Request, res: express.Response) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await employerDp(trx, user, param(req, 'dpId'), today);
      const assistants = await assistantsFor(trx, dp.id);
      const checklist = await checklistFor(trx, dp.id);
      const wages = await wageCheckFor(trx, dp.council_id, assistants, today);
      await audit(trx, user, { action: 'view', entityType: 'employer', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, assistants, checklist, items: checklistItems(checklist, assistants, today), wages };
    });
    const current = page.assistants.filter((a) => !a.ends_on || a.ends_on >= today);
    res.render('employers/views/overview.njk', {
      pageTitle: res.locals.t('employers:overview.title'),
      mode,
      ...page,
      current,
      past: page.assistants.filter((a) => a.ends_on && a.ends_on < today),
      links: links(mode, page.dp.id),
      isRepresentative: user.role === 'representative',
      today,
    });
  };

  const assistantForm = (mode: Mode, res: express.Response, args: { dp: DirectPaymentRow; assistant?: { id: string; weekly_minutes: number } | null; values: Record<string, unknown>; errors?: FormErrors; user: CurrentUser; familyDecision?: unknown; timesheets?: Array<{ week_starts_on: string; minutes: number }>; sheetValues?: Record<string, unknown>; sheetErrors?: FormErrors }) => {
    const t = res.locals.t;
    res.status(args.errors || args.sheetErrors ? 400 : 200).render('employers/views/assistant-form.njk', {
      errors: args.errors ?? args.sheetErrors,
      pageTitle: t(args.assistant ? 'employers:assistant.changeTitle' : 'employers:assistant.newTitle'),
      mode,
      dp: args.dp,
      assistant: args.assistant ?? null,
      values: args.values,
      links: links(mode, args.dp.id),
      isRepresentative: args.user.role === 'representative',
      familyDecision: args.familyDecision ?? null,
      timesheets: (args.timesheets ?? []).map((w) => ({ ...w, hours: w.minutes / 60, planned: (args.assistant?.weekly_minutes ?? 0) / 60 })),
      sheetValues: args.sheetValues ?? {},
      sheetErrors: args.sheetErrors,
      sheetAction: args.assistant ? `${links(mode, args.dp.id).assistant(args.assistant.id)}/timesheets` : null,
      payPeriodItems: PAY_PERIODS.map((p) => [p, t(`employers:payPeriods.${p}`)]),
      payrollItems: PAYROLL.map((p) => [p, t(`employers:payroll.${p}`)]),
      dbsItems: DBS_LEVELS.map((p) => [p, t(`employers:dbs.${p}`)]),
      yesNoItems: [['yes', t('employers:yes')], ['no', t('employers:no')]],
      backLink: links(mode, args.dp.id).overview,
    });
  };

  const checklistForm = (mode: Mode, res: express.Response, dp: DirectPaymentRow, user: CurrentUser, values: Record<string, unknown>, errors?: FormErrors) => {
    const t = res.locals.t;
    res.status(errors ? 400 : 200).render('employers/views/checklist-form.njk', {
      pageTitle: t('employers:checklist.title'),
      mode, dp, values, errors,
      isRepresentative: user.role === 'representative',
      yesNoItems: [['yes', t('employers:yes')], ['no', t('employers:no')]],
      backLink: links(mode, dp.id).overview,
    });
  };

  for (const mode of ['staff', 'my'] as const) {
    const root = mode === 'my' ? '/my/direct-payments/:dpId' : '/direct-payments/:dpId';
    const assistantPath = mode === 'my' ? '/my/assistants/:assistantId' : '/assistants/:assistantId';
    const { read, write } = guards[mode];

    router.get(`${root}/employer`, ...read, (req, res) => overview(mode, req, res));

    router.get(`${root}/employer/assistants/new`, ...write, async (req, res) => {
      const user = userOf(req);
      const dp = await db.transaction().execute(async (trx) => {
        const dp = await employerDp(trx, user, param(req, 'dpId'), clock.today());
        await audit(trx, user, { action: 'view', entityType: 'personal-assistant-form', entityId: dp.id, personId: dp.person_id }, req.ip);
        return dp;
      });
      assistantForm(mode, res, { dp, values: { payroll: 'provider', payPeriod: 'monthly', isApprentice: 'no', closeRelative: 'no', dbsLevel: 'not_done' }, user });
    });

    router.post(`${root}/employer/assistants/new`, ...write, async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const t = res.locals.t;
      const dp = await employerDp(db, user, param(req, 'dpId'), today);
      const parsed = parseForm(assistantSchema(t, today), req.body, { dates: ASSISTANT_DATES });
      if (!parsed.ok) return assistantForm(mode, res, { dp, values: req.body ?? {}, errors: parsed.errors, user });
      const result = await db.transaction().execute(async (trx) => {
        const problems = await assistantProblems(trx, t, parsed.data, today, null);
        if (problems) return { problems };
        return { id: await addAssistant(trx, { directPaymentId: dp.id, personId: dp.person_id, form: parsed.data, user, ip: req.ip }) };
      });
      if ('problems' in result) return assistantForm(mode, res, { dp, values: req.body ?? {}, errors: result.problems, user });
      await flashThenRedirect(req, res, { title: t('employers:flash.added', { name: parsed.data.name }) }, links(mode, dp.id).overview);
    });

    router.get(assistantPath, ...read, async (req, res) => {
      const user = userOf(req);
      const { assistant, dp, decision, timesheets } = await db.transaction().execute(async (trx) => {
        const found = await assistantFor(trx, user, param(req, 'assistantId'), clock.today());
        await audit(trx, user, { action: 'view', entityType: 'personal-assistant', entityId: found.assistant.id, personId: found.dp.person_id }, req.ip);
        const decision = (await assistantsFor(trx, found.dp.id)).find((a) => a.id === found.assistant.id)!.familyDecision;
        return { ...found, decision, timesheets: await timesheetsFor(trx, found.assistant.id) };
      });
      assistantForm(mode, res, { dp, assistant, values: assistantValues(assistant), user, familyDecision: decision, timesheets });
    });

    router.post(assistantPath, ...write, async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const t = res.locals.t;
      const { assistant, dp } = await assistantFor(db, user, param(req, 'assistantId'), today);
      const parsed = parseForm(assistantSchema(t, today), req.body, { dates: ASSISTANT_DATES });
      if (!parsed.ok) return assistantForm(mode, res, { dp, assistant, values: req.body ?? {}, errors: parsed.errors, user });
      // Reg 3: once recorded as a close relative in the household, only the council may say otherwise,
      // or the employer could step round the council's decision by changing one answer.
      if (mode === 'my' && assistant.is_close_relative_in_household && !parsed.data.closeRelative) {
        return assistantForm(mode, res, { dp, assistant, values: req.body ?? {}, errors: fieldError('closeRelative', t('employers:errors.relativeOnlyCouncil')), user });
      }
      const problems = await db.transaction().execute(async (trx) => {
        const problems = await assistantProblems(trx, t, parsed.data, today, assistant.id);
        if (!problems) await updateAssistant(trx, { assistantId: assistant.id, personId: dp.person_id, form: parsed.data, user, ip: req.ip });
        return problems;
      });
      if (problems) return assistantForm(mode, res, { dp, assistant, values: req.body ?? {}, errors: problems, user });
      await flashThenRedirect(req, res, { title: t('employers:flash.saved', { name: parsed.data.name }) }, links(mode, dp.id).overview);
    });

    router.post(`${assistantPath}/timesheets`, ...write, async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const t = res.locals.t;
      const { assistant, dp } = await assistantFor(db, user, param(req, 'assistantId'), today);
      const parsed = parseForm(timesheetSchema(t, today), req.body, { dates: ['weekStartsOn'] });
      if (!parsed.ok) {
        return assistantForm(mode, res, { dp, assistant, values: assistantValues(assistant), user, timesheets: await timesheetsFor(db, assistant.id), sheetValues: req.body ?? {}, sheetErrors: parsed.errors });
      }
      await db.transaction().execute((trx) => recordTimesheet(trx, { assistantId: assistant.id, personId: dp.person_id, weekStartsOn: parsed.data.weekStartsOn, minutes: parsed.data.hoursWorked, user, ip: req.ip }));
      await flashThenRedirect(req, res, { title: t('employers:flash.hoursSaved', { name: assistant.name }) }, links(mode, dp.id).assistant(assistant.id));
    });

    router.get(`${root}/employer/checklist`, ...write, async (req, res) => {
      const user = userOf(req);
      const { dp, checklist } = await db.transaction().execute(async (trx) => {
        const dp = await employerDp(trx, user, param(req, 'dpId'), clock.today());
        await audit(trx, user, { action: 'view', entityType: 'employer-checklist', entityId: dp.id, personId: dp.person_id }, req.ip);
        return { dp, checklist: await checklistFor(trx, dp.id) };
      });
      checklistForm(mode, res, dp, user, { payeRegistered: 'no', holidayExplained: 'no', ...checklistValues(checklist) });
    });

    router.post(`${root}/employer/checklist`, ...write, async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const t = res.locals.t;
      const dp = await employerDp(db, user, param(req, 'dpId'), today);
      const parsed = parseForm(checklistSchema(t, today), req.body, { dates: CHECKLIST_DATES });
      if (!parsed.ok) return checklistForm(mode, res, dp, user, req.body ?? {}, parsed.errors);
      await db.transaction().execute((trx) => saveChecklist(trx, { directPaymentId: dp.id, personId: dp.person_id, form: parsed.data, user, ip: req.ip }));
      await flashThenRedirect(req, res, { title: t('employers:flash.checklistSaved') }, links(mode, dp.id).overview);
    });
  }

  // The council's decision on paying a close relative who lives in the same household.
  const decide = requireCapability('employers:decide-family');
  const renderDecision = (res: express.Response, found: { assistant: { id: string; name: string }; dp: DirectPaymentRow }, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('employers/views/family-decision.njk', {
      pageTitle: 'Paying a close relative who lives with the person',
      ...found, values, errors, backLink: `/assistants/${found.assistant.id}`,
    });
  router.get('/assistants/:assistantId/family-decision', decide, async (req, res) => {
    const user = userOf(req);
    const found = await db.transaction().execute(async (trx) => {
      const found = await assistantFor(trx, user, param(req, 'assistantId'), clock.today());
      await audit(trx, user, { action: 'view', entityType: 'family-payment-decision-form', entityId: found.assistant.id, personId: found.dp.person_id }, req.ip);
      return found;
    });
    renderDecision(res, found, {});
  });
  router.post('/assistants/:assistantId/family-decision', decide, async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const found = await assistantFor(db, user, param(req, 'assistantId'), today);
    const parsed = parseForm(familyDecisionSchema(today), req.body, { dates: ['decidedOn'] });
    if (!parsed.ok) return renderDecision(res, found, req.body ?? {}, parsed.errors);
    await db.transaction().execute((trx) => recordFamilyDecision(trx, { assistantId: found.assistant.id, personId: found.dp.person_id, form: parsed.data, user, ip: req.ip }));
    await flashThenRedirect(req, res, { title: 'Decision recorded' }, `/assistants/${found.assistant.id}`);
  });

  // Administrators keep the minimum wage rates and the council's own floor.
  const manage = requireCapability('wage-rates:manage');
  const renderRates = async (req: express.Request, res: express.Response, errors?: { rate?: FormErrors; floor?: FormErrors }, values: Record<string, unknown> = {}) => {
    const user = userOf(req);
    const today = clock.today();
    const [rates, floors] = await Promise.all([wageRates(db), wageFloors(db, user.councilId)]);
    const all = errors?.rate ?? errors?.floor;
    res.status(all ? 400 : 200).render('employers/views/rates.njk', {
      pageTitle: 'Minimum wage rates',
      rates: [...rates].reverse().map((r) => ({ ...r, bandName: BAND_NAMES[r.band], upcoming: r.effectiveFrom > today })),
      floors: [...floors].reverse(),
      bandItems: Object.entries(BAND_NAMES),
      nextApril: `${Number(today.slice(0, 4)) + (today.slice(5) >= '04-01' ? 1 : 0)}-04-01`,
      hasNextApril: rates.some((r) => r.effectiveFrom > today),
      errors: all, rateErrors: errors?.rate, floorErrors: errors?.floor, values,
    });
  };
  router.get('/admin/minimum-wage', manage, (req, res) => renderRates(req, res));
  router.post('/admin/minimum-wage/rates', manage, async (req, res) => {
    const user = userOf(req);
    const parsed = parseForm(rateSchema(), req.body, { dates: ['effectiveFrom'] });
    if (!parsed.ok) return renderRates(req, res, { rate: parsed.errors }, req.body);
    try {
      await db.transaction().execute((trx) => addRate(trx, user, parsed.data, req.ip));
    } catch (err) {
      if (!(err instanceof DuplicateRateError)) throw err;
      return renderRates(req, res, { rate: fieldError('effectiveFrom', 'There is already a rate for them from that date', '#effectiveFrom-day') }, req.body);
    }
    await flashThenRedirect(req, res, { title: 'Rate added', text: `${BAND_NAMES[parsed.data.band]} from ${parsed.data.effectiveFrom}` }, '/admin/minimum-wage');
  });
  router.post('/admin/minimum-wage/floors', manage, async (req, res) => {
    const user = userOf(req);
    const body = Object.fromEntries(Object.entries(req.body ?? {}).map(([k, v]) => [k.replace(/^floor-/, '').replace(/^floorFrom/, 'effectiveFrom'), v]));
    const parsed = parseForm(floorSchema(), body, { dates: ['effectiveFrom'] });
    const rename = (e: FormErrors): FormErrors => ({
      list: e.list.map((i) => ({ ...i, href: i.href.replace('#effectiveFrom', '#floorFrom').replace(/^#(name|hourly)$/, '#floor-$1') })),
      fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k === 'effectiveFrom' ? 'floorFrom' : `floor-${k}`, v])),
    });
    if (!parsed.ok) return renderRates(req, res, { floor: rename(parsed.errors) }, req.body);
    try {
      await db.transaction().execute((trx) => addFloor(trx, user, parsed.data, req.ip));
    } catch (err) {
      if (!(err instanceof DuplicateRateError)) throw err;
      return renderRates(req, res, { floor: rename(fieldError('effectiveFrom', 'There is already a floor from that date', '#effectiveFrom-day')) }, req.body);
    }
    await flashThenRedirect(req, res, { title: 'Floor added', text: `${parsed.data.name} from ${parsed.data.effectiveFrom}` }, '/admin/minimum-wage');
  });

  return router;
}
