import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { LEVEL_NAMES, RULES, RULE_INFO, type Flag } from '../../domain/monitoring.ts';
import { directPaymentFor } from '../payments/direct-payment-access.ts';
import { challengeDaysFor, currentCase } from '../surplus/cases.ts';
import { STATUS_NAMES, type CaseStatus } from '../../domain/surplus.ts';
import { MONITORED_STATUSES, concernsFor, contingencyWeeksFor, monitoringFor, recordedCommitment, rulesFor, unexplainedLines } from './queries.ts';
import { asAtText, ensureSnapshot, refreshCouncilFlags, refreshFlagsFor, storedWorklist } from './snapshot.ts';
import { recordConcern, saveRules } from './actions.ts';
import { concernSchema, formValuesFrom, rulesFromForm, settingsSchema } from './forms.ts';
import { reasonIn } from './reasons.ts';

const PAGE_SIZE = 50;

export const RULE_TITLES = Object.fromEntries(RULES.map((r) => [r, RULE_INFO[r].title])) as Record<string, string>;

/** Evidence shown under a flag, as rows of "what" and "how much". */
function evidenceRows(flag: Flag): Array<{ key: string; value: string; kind?: 'pence' | 'date' }> {
  const e = flag.evidence as Record<string, unknown>;
  switch (flag.rule) {
    case 'balance_over_contingency':
      return [
        { key: 'Balance (paid in less spent)', value: String(e.balancePence), kind: 'pence' },
        { key: `Contingency (${e.contingencyWeeks} weeks of payments)`, value: String(e.contingencyPence), kind: 'pence' },
        { key: 'Already committed', value: String(e.committedPence), kind: 'pence' },
        { key: 'Above both', value: String(e.overPence), kind: 'pence' },
      ];
    case 'unexplained_spending':
      return [
        { key: 'Unexplained in the last 12 months', value: String(e.unexplainedPence), kind: 'pence' },
        { key: 'Payments', value: String(e.lines) },
        { key: 'The council’s threshold', value: String(e.thresholdPence), kind: 'pence' },
      ];
    case 'no_statements':
      return [
        { key: 'Latest statement line', value: e.lastStatementOn ? String(e.lastStatementOn) : 'None shared yet', kind: e.lastStatementOn ? 'date' : undefined },
        { key: 'First payment', value: String(e.firstPaidOn), kind: 'date' },
      ];
    case 'unregistered_payee':
      return (e.payees as Array<{ name: string; payments: number; months: number; totalPence: number }>).map((p) => ({
        key: `${p.name}: ${p.payments} payments over ${p.months} months`, value: String(p.totalPence), kind: 'pence' as const,
      }));
    case 'previous_concern':
      return (e.concerns as Array<{ on: string; text: string }>).map((c) => ({ key: c.on, value: c.text, kind: 'date' as const }));
  }
}

export function monitoringRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  // The worklist: only the flagged direct payments, most serious first, read from the stored
  // snapshot (built here if the council's flags were never worked out), a page at a time.
  router.get('/monitoring', requireCapability('monitoring:read'), async (req, res) => {
    const user = userOf(req);
    const snapshot = await ensureSnapshot(db, user.councilId, { today: clock.today() });
    const requested = Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1);
    const page = await db.transaction().execute(async (trx) => {
      let page = await storedWorklist(trx, user.councilId, { limit: PAGE_SIZE, offset: (requested - 1) * PAGE_SIZE });
      const pages = Math.max(1, Math.ceil(page.flagged / PAGE_SIZE));
      if (requested > pages) page = await storedWorklist(trx, user.councilId, { limit: PAGE_SIZE, offset: (pages - 1) * PAGE_SIZE });
      await audit(trx, user, { action: 'view', entityType: 'monitoring-worklist', details: { flagged: page.flagged, asAt: snapshot.evaluatedAt.toISOString() } }, req.ip);
      return { ...page, pages, pageNo: Math.min(requested, pages) };
    });
    const { pages, pageNo } = page;
    const monitored = await db.selectFrom('direct_payments').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('council_id', '=', user.councilId).where('status', 'in', [...MONITORED_STATUSES]).executeTakeFirstOrThrow();
    res.render('monitoring/views/worklist.njk', {
      pageTitle: 'Monitoring',
      entries: page.entries.map((e) => ({ ...e, levelName: LEVEL_NAMES[e.level] })),
      counts: { monitored: Number(monitored.n), flagged: page.flagged, high: page.high },
      asAt: asAtText(snapshot.evaluatedAt),
      pagination: pages > 1 ? {
        previous: pageNo > 1 ? { href: `/monitoring?page=${pageNo - 1}` } : undefined,
        next: pageNo < pages ? { href: `/monitoring?page=${pageNo + 1}` } : undefined,
        items: Array.from({ length: pages }, (_, i) => ({ number: i + 1, href: `/monitoring?page=${i + 1}`, current: i + 1 === pageNo })),
      } : null,
      ruleTitles: RULE_TITLES,
      canChangeRules: can(user, 'monitoring:settings'),
    });
  });

  // "Check again now": every rule over every direct payment, now, in place of the stored list.
  router.post('/monitoring/refresh', requireCapability('monitoring:read'), async (req, res) => {
    const user = userOf(req);
    const snapshot = await refreshCouncilFlags(db, user.councilId, { today: clock.today() });
    await audit(db, user, { action: 'update', entityType: 'monitoring-flags', details: { monitored: snapshot.monitored, flagged: snapshot.flagged } }, req.ip);
    await flashThenRedirect(req, res, {
      title: 'Checked again',
      text: `${snapshot.flagged} of ${snapshot.monitored} direct payment${snapshot.monitored === 1 ? ' is' : 's are'} flagged as at ${asAtText(snapshot.evaluatedAt)}.`,
    }, '/monitoring');
  });

  const settingsPage = async (res: express.Response, user: CurrentUser, values: Record<string, unknown>, errors?: FormErrors) => {
    res.status(errors ? 400 : 200).render('monitoring/views/settings.njk', {
      pageTitle: 'Monitoring rules',
      rules: RULES.map((rule) => ({ rule, ...RULE_INFO[rule] })),
      contingencyWeeks: await contingencyWeeksFor(db, user.councilId),
      canChangeContingency: can(user, 'payments:manage'),
      values,
      errors,
      backLink: can(user, 'monitoring:read') ? '/monitoring' : undefined,
    });
  };

  router.get('/monitoring/settings', requireCapability('monitoring:settings'), async (req, res) => {
    const user = userOf(req);
    const values = formValuesFrom(await rulesFor(db, user.councilId), await challengeDaysFor(db, user.councilId));
    await settingsPage(res, user, values);
  });

  router.post('/monitoring/settings', requireCapability('monitoring:settings'), async (req, res) => {
    const user = userOf(req);
    const values = { ...(req.body as Record<string, unknown>) };
    delete values._csrf;
    const form = parseForm(settingsSchema, req.body);
    if (!form.ok) return settingsPage(res, user, values, form.errors);
    const data = form.data as Record<string, unknown>;
    await db.transaction().execute((trx) => saveRules(trx, user.councilId, rulesFromForm(data), data.challengeDays as number, user, req.ip));
    // The stored worklist follows the new rules at once (rules change rarely; this is the full check).
    await refreshCouncilFlags(db, user.councilId, { today: clock.today() });
    await flashThenRedirect(req, res, { title: 'Monitoring rules saved', text: 'The worklist now uses them.' }, can(user, 'monitoring:read') ? '/monitoring' : '/monitoring/settings');
  });

  const dpPage = async (req: express.Request, res: express.Response, values: Record<string, unknown> = {}, errors?: FormErrors) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const m = await monitoringFor(trx, dp.id, { today });
      const c = await currentCase(trx, dp.id);
      const result = {
        dp,
        monitoring: m,
        flags: (m?.flags ?? []).map((f) => ({ ...f, title: RULE_TITLES[f.rule], evidence: evidenceRows(f) })),
        levelName: LEVEL_NAMES[m?.level ?? 'low'],
        unexplained: m?.flags.some((f) => f.rule === 'unexplained_spending') ? await unexplainedLines(trx, dp.id, today) : [],
        concerns: await concernsFor(trx, dp.id),
        commitment: await recordedCommitment(trx, dp.id),
        surplusCase: c ? { ...c, statusName: STATUS_NAMES[c.status as CaseStatus] } : null,
      };
      await audit(trx, user, { action: 'view', entityType: 'monitoring', entityId: dp.id, personId: dp.person_id }, req.ip);
      return result;
    });
    res.status(errors ? 400 : 200).render('monitoring/views/direct-payment.njk', {
      pageTitle: `Monitoring: ${page.dp.reference}`,
      ...page,
      monitored: ['active', 'suspended'].includes(page.dp.status),
      canRecordConcern: can(user, 'monitoring:concern'),
      values,
      errors,
      backLink: '/monitoring',
    });
  };

  router.get('/direct-payments/:dpId/monitoring', requireCapability('monitoring:read'), (req, res) => dpPage(req, res));

  router.post('/direct-payments/:dpId/monitoring/concerns', requireCapability('monitoring:concern'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const dp = await directPaymentFor(db, user, param(req, 'dpId'), today);
    const form = parseForm(concernSchema, req.body);
    if (!form.ok) return dpPage(req, res, { concern: req.body?.concern }, form.errors);
    await db.transaction().execute(async (trx) => {
      await recordConcern(trx, { dp, concern: form.data.concern, on: today, user, ip: req.ip });
      await refreshFlagsFor(trx, dp.id, { today });
    });
    await flashThenRedirect(req, res, { title: 'Concern recorded', text: 'The direct payment is flagged for a closer look. The person can read why.' }, `/direct-payments/${dp.id}/monitoring`);
  });

  // The person's own view: how their account is checked, each flag's reason in their language.
  router.get('/my/direct-payments/:dpId/checks', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const lang = res.locals.lang ?? 'en';
    const page = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      if (dp.status === 'draft') notFound();
      const m = await monitoringFor(trx, dp.id, { today });
      await audit(trx, user, { action: 'view', entityType: 'own-monitoring', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, reasons: (m?.flags ?? []).map((f) => reasonIn(f, lang)) };
    });
    res.render('monitoring/views/my-checks.njk', {
      pageTitle: res.locals.t('monitoring:title'),
      ...page,
      isRepresentative: user.role === 'representative',
      backLink: `/my/direct-payments/${page.dp.id}`,
    });
  });

  return router;
}
