import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { ForbiddenError, notFound, param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { f, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { can } from '../../platform/permissions.ts';
import { PERIODS, financialYear, financialYearOf, periodRange, type PeriodKey } from '../../domain/charts/periods.ts';
import { csvLine } from '../../domain/cld.ts';
import { penceToInput } from '../../domain/money.ts';
import { formatDate } from '../../domain/dates.ts';
import { londonDate } from '../../platform/services.ts';
import { DASHBOARDS, dashboardBySlug, type InsightContext } from './dashboards.ts';
import { refreshSummaries, summaryStatus, type SummaryStatus } from './summaries.ts';

type Filters = { team: string; period: PeriodKey; year: number };

/** How long after a refresh "Refresh figures now" waits before it will work the figures out again. */
const REFRESH_AT_MOST_EVERY_MS = 60_000;

/** "14:05 on 23 November 2026", in London time. */
export function asAtText(at: Date): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${time} on ${formatDate(londonDate(at))}`;
}

/** Insight dashboards for managers and finance: each chart an accessible SVG, its data in a table beside it, and as CSV. */
export function insightRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const read = requireCapability('insight:read');

  /**
   * The council's summary figures, as at when. Pages read the summary tables the job
   * insight.refresh-summaries keeps; before the first refresh (a new database) the page works
   * them out now (waiting for a refresh already under way rather than starting a second).
   */
  const figuresStatus = async (councilId: string): Promise<SummaryStatus> => {
    const status = await summaryStatus(db, councilId);
    if (status) return status;
    await refreshSummaries(db, councilId, { today: clock.today(), now: clock.now(), ifBusy: 'wait' });
    return (await summaryStatus(db, councilId))!;
  };

  const filtersOf = async (req: express.Request) => {
    const user = userOf(req);
    const today = clock.today();
    const teams = await db.selectFrom('teams').select(['id', 'name']).where('council_id', '=', user.councilId).orderBy('name').execute();
    const q = req.query as Record<string, unknown>;
    const team = typeof q.team === 'string' && teams.some((t) => t.id === q.team) ? q.team : '';
    const period = (typeof q.period === 'string' && q.period in PERIODS ? q.period : '12m') as PeriodKey;
    const thisYear = financialYearOf(today);
    const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
    const asked = Number(q.year);
    const year = years.includes(asked) ? asked : thisYear;
    const filters: Filters = { team, period, year };
    const ctx: InsightContext = { councilId: user.councilId, teamId: team || null, period: periodRange(period, today), financialYear: year, today };
    const query = new URLSearchParams({ team, period, year: String(year) }).toString();
    return { user, teams, years, filters, ctx, query };
  };

  const common = (f: Awaited<ReturnType<typeof filtersOf>>) => ({
    teams: [{ value: '', text: 'All teams' }, ...f.teams.map((t) => ({ value: t.id, text: t.name }))].map((i) => ({ ...i, selected: i.value === f.filters.team })),
    periods: Object.entries(PERIODS).map(([value, text]) => ({ value, text, selected: value === f.filters.period })),
    years: f.years.map((y) => ({ value: String(y), text: financialYear(y).label, selected: y === f.filters.year })),
    query: f.query,
  });

  router.get('/insight', read, async (req, res) => {
    const fl = await filtersOf(req);
    res.render('insight/views/index.njk', { pageTitle: 'Insight', dashboards: DASHBOARDS, canSetBudget: can(fl.user, 'budget:manage'), ...common(fl) });
  });

  router.get('/insight/budget', requireCapability('budget:manage'), async (req, res) => {
    const fl = await filtersOf(req);
    const row = await db.selectFrom('insight_budgets').select('budget_pence').where('council_id', '=', fl.user.councilId).where('financial_year', '=', fl.filters.year).executeTakeFirst();
    renderBudget(res, fl, { year: String(fl.filters.year), budget: row ? penceToInput(row.budget_pence) : '' });
  });

  const renderBudget = (res: express.Response, fl: Awaited<ReturnType<typeof filtersOf>>, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('insight/views/budget.njk', {
      pageTitle: 'Direct payments budget', backLink: '/insight/spend', values, errors,
      years: fl.years.map((y) => ({ value: String(y), text: financialYear(y).label, selected: String(y) === String(values.year) })),
    });

  router.post('/insight/budget', requireCapability('budget:manage'), async (req, res) => {
    const fl = await filtersOf(req);
    const parsed = parseForm(z.object({
      year: f.choice(fl.years.map(String) as [string, ...string[]], 'Choose the financial year'),
      budget: f.money('Enter the budget for the year', 'Enter the budget in pounds, like 6,500,000', { min: 0, max: 100_000_000_000_00, tooBig: 'The budget must be less than £100 billion' }),
    }), req.body);
    if (!parsed.ok) return renderBudget(res, fl, req.body, parsed.errors);
    const year = Number(parsed.data.year);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('insight_budgets').values({ council_id: fl.user.councilId, financial_year: year, budget_pence: parsed.data.budget, updated_by: fl.user.id })
        .onConflict((oc) => oc.columns(['council_id', 'financial_year']).doUpdateSet({ budget_pence: parsed.data.budget, updated_by: fl.user.id, updated_at: new Date() })).execute();
      await audit(trx, fl.user, { action: 'update', entityType: 'insight_budget', details: { year, budgetPence: parsed.data.budget } }, req.ip);
    });
    await flashThenRedirect(req, res, { title: 'Budget saved', text: `The budget for ${financialYear(year).label} is saved.` }, `/insight/spend?year=${year}`);
  });

  router.get('/insight/:slug', read, async (req, res) => {
    const dashboard = dashboardBySlug(param(req, 'slug'));
    if (!dashboard) notFound();
    const fl = await filtersOf(req);
    const status = await figuresStatus(fl.user.councilId);
    const data = await dashboard.build(db, fl.ctx);
    res.render('insight/views/dashboard.njk', {
      pageTitle: dashboard.title, backLink: `/insight?${fl.query}`, dashboard, data, canSetBudget: can(fl.user, 'budget:manage'),
      asAt: asAtText(status.refreshedAt), canRefresh: fl.user.role === 'manager', canReadFeedback: can(fl.user, 'feedback:read'),
      flagsAsAt: dashboard.slug === 'monitoring-flags' && status.flagsEvaluatedAt ? asAtText(status.flagsEvaluatedAt) : null,
      periodLabel: dashboard.uses === 'year' ? financialYear(fl.filters.year).label : dashboard.uses === 'today' ? 'Today' : fl.ctx.period.label,
      teamName: fl.teams.find((t) => t.id === fl.filters.team)?.name ?? 'All teams', ...common(fl),
    });
  });

  router.get('/insight/:slug/data.csv', read, async (req, res) => {
    const dashboard = dashboardBySlug(param(req, 'slug'));
    if (!dashboard) notFound();
    const fl = await filtersOf(req);
    await figuresStatus(fl.user.councilId);
    const data = await dashboard.build(db, fl.ctx);
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`${dashboard.slug}-${clock.today()}.csv`);
    res.send(csvLine(data.csv.head) + data.csv.rows.map((r) => csvLine(r.map(String))).join(''));
  });

  // "Refresh figures now" (managers): works the council's figures out again in this request. At most
  // one refresh of a council runs at a time (the advisory lock in summaries.ts), and not again within
  // a minute of the last, so pressing it repeatedly cannot load the database.
  router.post('/insight/:slug/refresh', read, async (req, res) => {
    const dashboard = dashboardBySlug(param(req, 'slug'));
    if (!dashboard) notFound();
    const fl = await filtersOf(req);
    if (fl.user.role !== 'manager') throw new ForbiddenError();
    const back = `/insight/${dashboard.slug}?${fl.query}`;
    const before = await summaryStatus(db, fl.user.councilId);
    const now = clock.now();
    if (before && now.getTime() - before.refreshedAt.getTime() < REFRESH_AT_MOST_EVERY_MS) {
      return flashThenRedirect(req, res, { title: 'The figures are up to date', text: `They were worked out at ${asAtText(before.refreshedAt)}, less than a minute ago.` }, back);
    }
    const outcome = await refreshSummaries(db, fl.user.councilId, { today: clock.today(), now, ifBusy: 'skip' });
    await flashThenRedirect(req, res, outcome.refreshed
      ? { title: 'Figures refreshed', text: `These are the figures as at ${asAtText(now)}.` }
      : { title: 'The figures are being worked out already', text: 'Someone else asked a moment ago. Reload this page in a minute to see them.' }, back);
  });

  return router;
}
