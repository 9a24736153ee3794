import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { f, fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { canSeePerson } from '../../platform/permissions.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import { addMonths, formatDate } from '../../domain/dates.ts';
import { LIST_FIELDS, LIST_LABELS, isNhsNumber, lastQuarter, type ListField } from '../../domain/cld.ts';

export { lastQuarter };
import { dateFields } from '../people/form-values.ts';
import { auditExport, checkCld, cldCsv, problemsCsv } from './cld-export.ts';
import { listOptions } from './cld-records.ts';

const SHOWN_PROBLEMS = 300;

const periodSchema = z.object({
  from: f.date('Enter the first day of the period', 'The first day must be a real date, like 1 7 2026'),
  to: f.date('Enter the last day of the period', 'The last day must be a real date, like 30 9 2026'),
});

function parsePeriod(query: Record<string, unknown>): { ok: true; from: string; to: string } | { ok: false; errors: FormErrors } {
  const parsed = parseForm(periodSchema, query, { dates: ['from', 'to'] });
  if (!parsed.ok) return parsed;
  if (parsed.data.to < parsed.data.from) return { ok: false, errors: fieldError('to', 'The last day must be on or after the first day', '#to-day') };
  if (parsed.data.to > addMonths(parsed.data.from, 24)) return { ok: false, errors: fieldError('to', 'The period must be 2 years or shorter', '#to-day') };
  return { ok: true, ...parsed.data };
}

const query = (from: string, to: string) => new URLSearchParams({ ...dateFields('from', from), ...dateFields('to', to) }).toString();

/** Client Level Data: managers check and download the quarterly return; staff fill what it needs; administrators extend the lists. */
export function reportsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  // Wales has no Client Level Data return: say so plainly rather than show an error.
  const englandOnly: express.RequestHandler = (req, res, next) => {
    if (userOf(req).jurisdiction === 'england') return next();
    if (req.path !== '/reports/client-level-data') return next(new ForbiddenError());
    res.render('reports/views/not-england.njk', { pageTitle: 'Client Level Data return' });
  };

  router.get('/reports/client-level-data', requireCapability('reports:cld'), englandOnly, async (req, res) => {
    const user = userOf(req);
    const asked = Object.keys(req.query).some((k) => k.startsWith('from') || k.startsWith('to'));
    if (!asked) {
      const q = lastQuarter(clock.today());
      return res.render('reports/views/cld.njk', { pageTitle: 'Client Level Data return', values: { ...dateFields('from', q.from), ...dateFields('to', q.to) } });
    }
    const period = parsePeriod(req.query);
    if (!period.ok) return res.status(400).render('reports/views/cld.njk', { pageTitle: 'Client Level Data return', values: req.query, errors: period.errors });
    const check = await checkCld(db, user.councilId, period);
    await audit(db, user, { action: 'view', entityType: 'cld_validation', details: { from: period.from, to: period.to, rows: check.records.length, problems: check.problems.length } }, req.ip);
    const people = new Set(check.problems.map((p) => p.personId));
    res.render('reports/views/cld.njk', {
      pageTitle: 'Client Level Data return',
      values: req.query,
      period: { from: period.from, to: period.to, label: `${formatDate(period.from)} to ${formatDate(period.to)}` },
      check: {
        rows: check.records.length, byEventType: check.byEventType, problems: check.problems.slice(0, SHOWN_PROBLEMS), problemCount: check.problems.length,
        rowsWithProblems: check.rowsWithProblems, peopleWithProblems: people.size, childrenLeftOut: check.childrenLeftOut,
      },
      downloadQuery: query(period.from, period.to),
    });
  });

  router.get('/reports/client-level-data/return.csv', requireCapability('reports:cld'), englandOnly, async (req, res) => {
    const user = userOf(req);
    const period = parsePeriod(req.query);
    if (!period.ok) return res.redirect(303, '/reports/client-level-data');
    const check = await checkCld(db, user.councilId, period);
    await auditExport(db, user, check, 'web', req.ip);
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`client-level-data-${period.from}-to-${period.to}.csv`);
    res.send(cldCsv(check));
  });

  router.get('/reports/client-level-data/problems.csv', requireCapability('reports:cld'), englandOnly, async (req, res) => {
    const user = userOf(req);
    const period = parsePeriod(req.query);
    if (!period.ok) return res.redirect(303, '/reports/client-level-data');
    const check = await checkCld(db, user.councilId, period);
    await audit(db, user, { action: 'download', entityType: 'cld_validation', details: { from: period.from, to: period.to, problems: check.problems.length } }, req.ip);
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`client-level-data-problems-${period.from}-to-${period.to}.csv`);
    res.send(problemsCsv(check));
  });

  // ---- A person's Client Level Data details ------------------------------------------------

  const loadPerson = async (req: express.Request) => {
    const user = userOf(req);
    const personId = param(req, 'personId');
    if (!(await canSeePerson(db, user, personId, clock.today()))) notFound();
    const person = await db.selectFrom('people')
      .select(['id', 'reference', 'given_name', 'family_name', 'kind', 'nhs_number', 'gender', 'ethnicity', 'primary_support_reason', 'accommodation_status', 'has_unpaid_carer', 'date_of_death', 'postcode'])
      .where('id', '=', personId).executeTakeFirstOrThrow();
    const directPayments = await db.selectFrom('direct_payments').select(['id', 'reference', 'kind', 'purpose', 'cld_service_type', 'cld_service_component'])
      .where('person_id', '=', personId).where('status', 'in', ['active', 'suspended', 'ended', 'agreed', 'approved']).orderBy('reference').execute();
    const arranged = await db.selectFrom('plan_items').innerJoin('care_plans', 'care_plans.id', 'plan_items.plan_id')
      .select(['plan_items.id', 'plan_items.how', 'plan_items.cld_service_component'])
      .where('care_plans.person_id', '=', personId).where('care_plans.status', '=', 'agreed').where('care_plans.kind', '=', 'ongoing')
      .where('plan_items.met_by', '=', 'council_service').where('plan_items.cost_frequency', '=', 'weekly').orderBy('plan_items.position').execute();
    return { user, person, directPayments, arranged };
  };

  const renderPerson = async (req: express.Request, res: express.Response, ctx: Awaited<ReturnType<typeof loadPerson>>, values: Record<string, unknown>, errors?: FormErrors) => {
    res.status(errors ? 400 : 200).render('reports/views/person.njk', {
      pageTitle: `Client Level Data details: ${ctx.person.given_name} ${ctx.person.family_name}`,
      backLink: `/people/${ctx.person.id}`,
      person: ctx.person, directPayments: ctx.directPayments, arranged: ctx.arranged,
      lists: await listOptions(db, ctx.user.councilId), values, errors,
    });
  };

  router.get('/client-level-data/people/:personId', requireCapability('people:write'), async (req, res) => {
    const ctx = await loadPerson(req);
    await audit(db, ctx.user, { action: 'view', entityType: 'person_cld', entityId: ctx.person.id, personId: ctx.person.id }, req.ip);
    const p = ctx.person;
    await renderPerson(req, res, ctx, {
      nhsNumber: p.nhs_number ?? '', gender: p.gender ?? '', ethnicity: p.ethnicity ?? '', primarySupportReason: p.primary_support_reason ?? '',
      accommodationStatus: p.accommodation_status ?? '', hasUnpaidCarer: p.has_unpaid_carer ?? '', ...dateFields('dateOfDeath', p.date_of_death),
      ...Object.fromEntries(ctx.directPayments.flatMap((d, i) => [[`dpType${i}`, d.cld_service_type ?? ''], [`dpComponent${i}`, d.cld_service_component ?? '']])),
      ...Object.fromEntries(ctx.arranged.map((a, i) => [`itemComponent${i}`, a.cld_service_component ?? ''])),
    });
  });

  router.post('/client-level-data/people/:personId', requireCapability('people:write'), async (req, res) => {
    const ctx = await loadPerson(req);
    const lists = await listOptions(db, ctx.user.councilId);
    const oneOf = (list: ListField, label: string) => f.optionalText(200).refine((v) => v === '' || lists[list].includes(v), { error: `Choose a ${label} from the list` });
    const shape: Record<string, z.ZodType> = {
      nhsNumber: f.optionalText(20).transform((v) => v.replace(/[\s-]/g, '')).refine((v) => v === '' || isNhsNumber(v), { error: 'Enter a real NHS number: 10 digits, like 943 476 5919' }),
      gender: oneOf('gender', 'gender'), ethnicity: oneOf('ethnicity', 'ethnicity'), primarySupportReason: oneOf('primary_support_reason', 'primary support reason'),
      accommodationStatus: oneOf('accommodation_status', 'accommodation status'), hasUnpaidCarer: oneOf('has_unpaid_carer', 'answer'),
      dateOfDeath: f.optionalDate('The date of death must be a real date, like 2 9 2026').refine((v) => v === '' || v <= clock.today(), { error: 'The date of death must be today or in the past' }),
    };
    ctx.directPayments.forEach((_, i) => {
      shape[`dpType${i}`] = oneOf('service_type', 'service type');
      shape[`dpComponent${i}`] = oneOf('service_component', 'service component');
    });
    ctx.arranged.forEach((_, i) => { shape[`itemComponent${i}`] = oneOf('service_component', 'service component'); });
    const parsed = parseForm(z.object(shape), req.body, { dates: ['dateOfDeath'] });
    if (!parsed.ok) return renderPerson(req, res, ctx, req.body, parsed.errors);
    const v = parsed.data as Record<string, string>;
    const orNull = (s: string) => (s === '' ? null : s);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('people').set({
        nhs_number: orNull(v.nhsNumber!), gender: orNull(v.gender!), ethnicity: orNull(v.ethnicity!), primary_support_reason: orNull(v.primarySupportReason!),
        accommodation_status: orNull(v.accommodationStatus!), has_unpaid_carer: orNull(v.hasUnpaidCarer!), date_of_death: orNull(v.dateOfDeath!), updated_at: new Date(),
      }).where('id', '=', ctx.person.id).execute();
      for (const [i, d] of ctx.directPayments.entries()) {
        await trx.updateTable('direct_payments').set({ cld_service_type: orNull(v[`dpType${i}`]!), cld_service_component: orNull(v[`dpComponent${i}`]!) }).where('id', '=', d.id).execute();
      }
      for (const [i, a] of ctx.arranged.entries()) {
        await trx.updateTable('plan_items').set({ cld_service_component: orNull(v[`itemComponent${i}`]!) }).where('id', '=', a.id).execute();
      }
      await audit(trx, ctx.user, { action: 'update', entityType: 'person_cld', entityId: ctx.person.id, personId: ctx.person.id, details: { fields: Object.keys(v) } }, req.ip);
    });
    await flashThenRedirect(req, res, { title: 'Client Level Data details saved' }, `/client-level-data/people/${ctx.person.id}`);
  });

  // ---- The defined lists (administrators) ----------------------------------------------------

  const renderLists = async (req: express.Request, res: express.Response, values: Record<string, unknown>, errors?: FormErrors) => {
    const user = userOf(req);
    const rows = await db.selectFrom('cld_list_values').leftJoin('users', 'users.id', 'cld_list_values.created_by')
      .select(['cld_list_values.field', 'cld_list_values.value', 'cld_list_values.council_id', 'cld_list_values.created_at', 'users.display_name as added_by'])
      .where((eb) => eb.or([eb('cld_list_values.council_id', 'is', null), eb('cld_list_values.council_id', '=', user.councilId)]))
      .orderBy('cld_list_values.field').orderBy('cld_list_values.council_id', (ob) => ob.nullsFirst()).orderBy('cld_list_values.position').orderBy('cld_list_values.value').execute();
    const council = await db.selectFrom('councils').select(['cld_la_code', 'jurisdiction']).where('id', '=', user.councilId).executeTakeFirstOrThrow();
    res.status(errors ? 400 : 200).render('reports/views/lists.njk', {
      pageTitle: 'Client Level Data lists',
      lists: LIST_FIELDS.map((field) => ({ field, label: LIST_LABELS[field], values: rows.filter((r) => r.field === field) })),
      fields: Object.fromEntries(LIST_FIELDS.map((k) => [k, LIST_LABELS[k]])),
      council, values, errors,
    });
  };

  router.get('/admin/client-level-data', requireCapability('cld-lists:manage'), async (req, res) => {
    const user = userOf(req);
    const council = await db.selectFrom('councils').select('cld_la_code').where('id', '=', user.councilId).executeTakeFirstOrThrow();
    await renderLists(req, res, { laCode: council.cld_la_code ?? '' });
  });

  router.post('/admin/client-level-data/values', requireCapability('cld-lists:manage'), async (req, res) => {
    const user = userOf(req);
    const parsed = parseForm(z.object({
      field: f.choice(LIST_FIELDS, 'Choose the list to add to'),
      value: f.text('Enter the value, exactly as DHSC’s specification spells it', 200, 'The value must be 200 characters or fewer'),
    }), req.body);
    if (!parsed.ok) return renderLists(req, res, req.body, parsed.errors);
    const { field, value } = parsed.data;
    const exists = await db.selectFrom('cld_list_values').select('id').where('field', '=', field).where('value', '=', value)
      .where((eb) => eb.or([eb('council_id', 'is', null), eb('council_id', '=', user.councilId)])).executeTakeFirst();
    if (exists) return renderLists(req, res, req.body, fieldError('value', `“${value}” is already in the ${LIST_LABELS[field]} list`));
    await db.transaction().execute(async (trx) => {
      const max = await trx.selectFrom('cld_list_values').select((eb) => eb.fn.max('position').as('p')).where('field', '=', field).executeTakeFirst();
      await trx.insertInto('cld_list_values').values({ council_id: user.councilId, field, value, position: Number(max?.p ?? 0) + 1, created_by: user.id }).execute();
      await audit(trx, user, { action: 'create', entityType: 'cld_list_value', details: { field, value } }, req.ip);
    });
    await flashThenRedirect(req, res, { title: 'Value added', text: `“${value}” is now in the ${LIST_LABELS[field]} list.` }, '/admin/client-level-data');
  });

  router.post('/admin/client-level-data/la-code', requireCapability('cld-lists:manage'), async (req, res) => {
    const user = userOf(req);
    const parsed = parseForm(z.object({
      laCode: f.text('Enter the council’s local authority code', 9).transform((v) => v.toUpperCase()).refine((v) => /^E\d{8}$/.test(v), { error: 'The code must be E followed by 8 digits, like E10000002' }),
    }), req.body);
    if (!parsed.ok) return renderLists(req, res, req.body, parsed.errors);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('councils').set({ cld_la_code: parsed.data.laCode }).where('id', '=', user.councilId).execute();
      await audit(trx, user, { action: 'update', entityType: 'council', entityId: user.councilId, details: { cldLaCode: parsed.data.laCode } }, req.ip);
    });
    await flashThenRedirect(req, res, { title: 'Local authority code saved' }, '/admin/client-level-data');
  });

  return router;
}
