import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { signedIn, startTestApp, type TestApp } from '../../../test/support/app.ts';
import { TEST_TODAY } from '../../../test/support/database.ts';
import { generateCouncil } from '../../demo/generate.ts';
import { runJob } from '../../platform/jobs.ts';
import { PERIODS, financialYearOf, periodRange, type PeriodKey } from '../../domain/charts/periods.ts';
import { dashboardBySlug, DASHBOARDS, type InsightContext } from './dashboards.ts';
import { refreshSummaries, summaryStatus } from './summaries.ts';
import { refreshCouncilFlags } from '../monitoring/snapshot.ts';

let t: TestApp;
let ctx: InsightContext;
let teams: { t1: string; t2: string };

/**
 * A small council built by hand, so every figure below can be worked out on paper:
 * - DP1 (team 1): ongoing from 15 Jan 2026, still running; paid £400 on 10 Apr and 8 May 2026.
 * - DP2 (team 2): ongoing from 1 Dec 2025 to 10 Mar 2026; paid £400 on 1 Jan 2026 (the year before).
 * - DP3 (team 1): one-off £450 on 10 Feb 2026; its business case's other option was £156.10 a week
 *   for 12 months = £8,117.20, so it avoided £7,667.20; checked back: outcomes met.
 * - Reviews: DP1 due 15 Jul done 10 Jul (on time); DP2 due 1 Feb done 20 Feb (late); DP1 due 1 Oct, open (overdue on 23 Nov).
 * - DP1's person's first conversation was on 1 Dec 2025: 45 days before the first payment.
 */
beforeAll(async () => {
  t = await startTestApp();
  const db = t.ownerDb;
  const c = await db.insertInto('councils').values({ code: 'INSIGHT', name: 'Insight Test Council', jurisdiction: 'england' }).returning('id').executeTakeFirstOrThrow();
  const t1 = (await db.insertInto('teams').values({ council_id: c.id, name: 'Team 1' }).returning('id').executeTakeFirstOrThrow()).id;
  const t2 = (await db.insertInto('teams').values({ council_id: c.id, name: 'Team 2' }).returning('id').executeTakeFirstOrThrow()).id;
  teams = { t1, t2 };
  const u = await db.insertInto('users').values({ username: 'insight-user', display_name: 'I', role: 'practitioner', council_id: c.id, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
  const person = async (team: string) => (await db.insertInto('people').values({ council_id: c.id, team_id: team, given_name: 'P', family_name: 'Q', date_of_birth: '1970-01-01', kind: 'adult' }).returning('id').executeTakeFirstOrThrow()).id;
  const dp = async (personId: string, o: { kind: string; status: string; starts: string; ends?: string; weekly?: number; amount?: number }) =>
    (await db.insertInto('direct_payments').values({ council_id: c.id, person_id: personId, kind: o.kind, status: o.status, purpose: 'x', weekly_amount_pence: o.weekly ?? null, amount_pence: o.amount ?? null,
      frequency: o.kind === 'one_off' ? 'once' : 'four_weekly', payment_method: 'bank_account', starts_on: o.starts, ends_on: o.ends ?? null, first_payment_on: o.starts, created_by: u.id }).returning('id').executeTakeFirstOrThrow()).id;
  const p1 = await person(t1);
  const p2 = await person(t2);
  const p3 = await person(t1);
  const dp1 = await dp(p1, { kind: 'ongoing', status: 'active', starts: '2026-01-15', weekly: 10000 });
  const dp2 = await dp(p2, { kind: 'ongoing', status: 'ended', starts: '2025-12-01', ends: '2026-03-10', weekly: 10000 });
  const dp3 = await dp(p3, { kind: 'one_off', status: 'ended', starts: '2026-02-10', amount: 45000 });
  const pay = (dpId: string, on: string) => db.insertInto('payments').values({ direct_payment_id: dpId, period_starts_on: on, period_ends_on: on, due_on: on, amount_pence: 40000, status: 'paid' }).execute();
  await pay(dp1, '2026-04-10');
  await pay(dp1, '2026-05-08');
  await pay(dp2, '2026-01-01');
  await db.insertInto('insight_budgets').values({ council_id: c.id, financial_year: 2026, budget_pence: 1_200_000 }).execute();
  const bc = await db.insertInto('business_cases').values({ direct_payment_id: dp3, author_id: u.id, proposal: 'x', why_necessary: 'x', outcomes_expected: 'x', horizon_months: 12 }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('business_case_options').values([
    { business_case_id: bc.id, position: 1, description: 'Cooker', proposed: true, one_off_cost_pence: 45000, weekly_cost_pence: 0 },
    { business_case_id: bc.id, position: 2, description: 'Home care', proposed: false, one_off_cost_pence: 0, weekly_cost_pence: 15610 },
  ]).execute();
  await db.insertInto('reviews').values([
    { direct_payment_id: dp3, kind: 'check_back', due_on: '2026-05-10', completed_on: '2026-05-01', outcomes_met: 'met', working: true, changes: 'none' },
    { direct_payment_id: dp1, kind: 'first', due_on: '2026-07-15', completed_on: '2026-07-10', outcomes_met: 'met', working: true, changes: 'none' },
    { direct_payment_id: dp2, kind: 'first', due_on: '2026-02-01', completed_on: '2026-02-20', outcomes_met: 'partly', working: true, changes: 'none' },
    { direct_payment_id: dp1, kind: 'annual', due_on: '2026-10-01' },
  ]).execute();
  await db.insertInto('conversations').values({ person_id: p1, practitioner_id: u.id, held_on: '2025-12-01', status: 'completed' }).execute();
  ctx = { councilId: c.id, teamId: null, period: { from: '2026-01-01', to: '2026-04-30', label: 'January to April 2026' }, financialYear: 2026, today: TEST_TODAY };
  await refresh(c.id);
}, 60_000);
afterAll(async () => t.stop());

const refresh = (councilId: string) => refreshSummaries(t.db, councilId, { today: TEST_TODAY, now: t.clock.now() });

/** A page's figures from the summary tables, checked against the live queries (the definition) on the way. */
async function build(slug: string, over: Partial<InsightContext> = {}) {
  const d = dashboardBySlug(slug)!;
  const c = { ...ctx, ...over };
  const [fromSummary, live] = await Promise.all([d.build(t.db, c), d.build(t.db, c, 'live')]);
  expect(fromSummary).toEqual(live);
  return fromSummary;
}

/** Every page with every filter it has: each team and all teams, each period or each financial year. */
async function everyFilter(councilId: string): Promise<Array<[string, InsightContext]>> {
  const teams = (await t.db.selectFrom('teams').select('id').where('council_id', '=', councilId).execute()).map((r) => r.id);
  const thisYear = financialYearOf(TEST_TODAY);
  const out: Array<[string, InsightContext]> = [];
  for (const d of DASHBOARDS) {
    for (const teamId of [null, ...teams]) {
      const base = { councilId, teamId, today: TEST_TODAY, period: periodRange('12m', TEST_TODAY), financialYear: thisYear };
      if (d.uses === 'period') for (const p of Object.keys(PERIODS) as PeriodKey[]) out.push([d.slug, { ...base, period: periodRange(p, TEST_TODAY) }]);
      else if (d.uses === 'year') for (let y = thisYear - 5; y <= thisYear; y++) out.push([d.slug, { ...base, financialYear: y }]);
      else out.push([d.slug, base]);
    }
  }
  return out;
}

/** Compares the summary's figures with the live ones for every page and filter; returns how many differ. */
async function differences(councilId: string): Promise<string[]> {
  const out: string[] = [];
  for (const [slug, c] of await everyFilter(councilId)) {
    const d = dashboardBySlug(slug)!;
    const [a, b] = await Promise.all([d.figures(t.db, c, 'summary'), d.figures(t.db, c, 'live')]);
    try {
      expect(a).toEqual(b);
    } catch {
      out.push(`${slug} team=${c.teamId ?? 'all'} ${c.period.from}..${c.period.to} fy=${c.financialYear}`);
    }
  }
  return out;
}

describe('insight figures, against the hand-built council', () => {
  it('direct payments running at each month end, for the council and for one team', async () => {
    const all = await build('people-on-direct-payments');
    expect(all.csv.rows.map((r) => [r[0], r[1]])).toEqual([['2026-01', 2], ['2026-02', 2], ['2026-03', 1], ['2026-04', 1]]);
    const team2 = await build('people-on-direct-payments', { teamId: teams.t2 });
    expect(team2.csv.rows.map((r) => r[1])).toEqual([1, 1, 0, 0]);
    expect(all.summary[0]).toBe('1 ongoing direct payment running at the end of Apr 2026, down from 2 at the end of Jan 2026.');
  });

  it('spend by month against a twelfth of the budget, and the year so far', async () => {
    const spend = await build('spend');
    expect(spend.csv.rows.slice(0, 3)).toEqual([['2026-04', '400.00', '400.00', '1000.00'], ['2026-05', '400.00', '800.00', '2000.00'], ['2026-06', '0.00', '800.00', '3000.00']]);
    expect(spend.summary[0]).toContain('£800.00 paid out in April 2026 to March 2027: 6.7% of the £12,000.00 budget');
    expect(spend.chart).toContain('A twelfth of the budget (£1,000.00)');
    const team2 = await build('spend', { teamId: teams.t2 });
    expect(team2.csv.rows.every((r) => r[1] === '0.00')).toBe(true);
    expect((await build('spend', { teamId: teams.t1 })).csv.rows[0]).toEqual(['2026-04', '400.00', '400.00', '1000.00']);
    expect((await build('reviews', { teamId: teams.t2, period: { from: '2026-01-01', to: '2026-12-31', label: '2026' } })).csv.rows.find((r) => r[0] === '2026-10')!.slice(1)).toEqual([0, 0, 0, 0]);
    const noBudget = await build('spend', { financialYear: 2025 });
    expect(noBudget.summary[0]).toContain('£400.00 paid out in April 2025 to March 2026. No budget is set');
  });

  it('one-off payments: outcomes met and the cost the business case says was avoided', async () => {
    const oneOff = await build('one-off-payments');
    const feb = oneOff.csv.rows.find((r) => r[0] === '2026-02')!;
    expect(feb).toEqual(['2026-02', 1, '450.00', 1, 0, 0, 0, '7667.20']);
    expect(oneOff.summary[1]).toContain('£7,667.20');
  });

  it('reviews on time, late and overdue', async () => {
    const reviews = await build('reviews', { period: { from: '2026-01-01', to: '2026-12-31', label: '2026' } });
    const row = (m: string) => reviews.csv.rows.find((r) => r[0] === m)!.slice(1);
    expect(row('2026-02')).toEqual([0, 1, 0, 0]);
    expect(row('2026-07')).toEqual([1, 0, 0, 0]);
    expect(row('2026-10')).toEqual([0, 0, 1, 0]);
    expect(reviews.summary[0]).toBe('1 review is overdue today, the oldest due on 1 October 2026 (53 days ago); 0 more fall due in the next 30 days.');
  });

  it('days from the first conversation to the first payment', async () => {
    const wait = await build('time-to-first-payment');
    expect(wait.csv.rows.find((r) => r[0] === '2026-01')).toEqual(['2026-01', 1, 45, 45]);
  });

  it('every chart is an image with a title and a text alternative, and a table of the same figures', async () => {
    for (const d of DASHBOARDS) {
      const data = await d.build(t.db, ctx);
      if (data.unavailable) continue;
      expect(data.chart).toMatch(/role="img"/);
      expect(data.chart).toContain(`<desc id=`);
      expect(data.table.rows.length).toBe(data.csv.rows.length);
    }
  });
});

describe('insight pages', () => {
  it('managers and finance read them; the CSV downloads; practitioners may not', async () => {
    const manager = await signedIn(t.app, 'manager');
    const { council_id: councilId } = await t.db.selectFrom('users').select('council_id').where('username', '=', 'manager').executeTakeFirstOrThrow();
    // A fresh database: no figures yet, so the first page works them out rather than showing nothing.
    expect(await summaryStatus(t.db, councilId)).toBeNull();
    expect((await manager.get('/insight')).status).toBe(200);
    for (const d of DASHBOARDS) {
      const page = await manager.get(`/insight/${d.slug}?period=24m`);
      expect(page.status).toBe(200);
      // Open about how old the figures are (the test clock's noon, London time).
      expect(page.text).toContain('Figures as at 12:00 on 23 November 2026');
      expect(page.text).toContain('Refresh figures now');
      const csv = await manager.get(`/insight/${d.slug}/data.csv?period=24m`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-disposition']).toContain('attachment');
    }
    expect((await manager.get('/insight/nothing-here')).status).toBe(404);
    expect(await summaryStatus(t.db, councilId)).not.toBeNull();
    const finance = await signedIn(t.app, 'finance');
    const spend = await finance.get('/insight/spend');
    expect(spend.status).toBe(200);
    expect(spend.text).toContain('Figures as at 12:00 on 23 November 2026');
    expect(spend.text).not.toContain('Refresh figures now');
    expect((await finance.post2('/insight/spend/refresh', {})).status).toBe(403);
    const practitioner = await signedIn(t.app, 'practitioner');
    expect((await practitioner.get('/insight')).status).toBe(403);
  });

  it('finance sets the year’s budget; a wrong amount is refused and kept', async () => {
    const finance = await signedIn(t.app, 'finance');
    const bad = await finance.post2('/insight/budget', { year: '2026', budget: 'lots' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="lots"');
    expect((await finance.post2('/insight/budget', { year: '2026', budget: '7,000,000' })).status).toBe(303);
    const page = await finance.get('/insight/spend?year=2026');
    expect(page.text).toContain('£7,000,000.00 budget');
  });
});

describe('the summary tables', () => {
  it('give the same figures as the live queries on the demo data, for every page and filter', async () => {
    expect((await runJob(t, 'insight.refresh-summaries')).processed).toBeGreaterThanOrEqual(3);
    const councils = await t.db.selectFrom('councils').select('id').execute();
    for (const c of councils) expect(await differences(c.id)).toEqual([]);
  });

  it('give the same figures as the live queries on a small generated council, and notice when the records change', async () => {
    const gen = await generateCouncil(t.ownerDb, { people: 400, today: TEST_TODAY, code: 'INSIGHTGEN' });
    await refresh(gen.councilId);
    expect(await differences(gen.councilId)).toEqual([]);
    // Not comparing nothing with nothing: the generated council has figures on every page but the flags.
    const all = await everyFilter(gen.councilId);
    for (const d of DASHBOARDS.filter((x) => x.slug !== 'monitoring-flags')) {
      const [, c] = all.find(([slug, x]) => slug === d.slug && x.teamId === null && (d.uses !== 'period' || x.period.label === PERIODS['60m']) && (d.uses !== 'year' || x.financialYear === financialYearOf(TEST_TODAY) - 1))!;
      const data = await d.build(t.db, c);
      expect(data.csv.rows.some((r) => r.slice(1).some((v) => v !== 0 && v !== '0.00' && v !== '')), d.slug).toBe(true);
    }

    // The records change after the refresh: the summary is now behind the live figures (so this
    // comparison can fail), until the next refresh catches up.
    const overdue = await t.ownerDb.selectFrom('reviews').innerJoin('direct_payments as d', 'd.id', 'reviews.direct_payment_id')
      .select(['reviews.id', 'd.id as dpId']).where('d.council_id', '=', gen.councilId).where('d.kind', '=', 'ongoing').where('d.status', '=', 'active')
      .where('reviews.completed_on', 'is', null).where('reviews.due_on', '<', TEST_TODAY).executeTakeFirstOrThrow();
    await t.ownerDb.insertInto('payments').values({ direct_payment_id: overdue.dpId, period_starts_on: '2026-11-02', period_ends_on: '2026-11-29', due_on: '2026-11-02', amount_pence: 12345, status: 'paid' }).execute();
    await t.ownerDb.updateTable('reviews').set({ completed_on: TEST_TODAY, outcomes_met: 'met', working: true, changes: 'none' }).where('id', '=', overdue.id).execute();
    await t.ownerDb.updateTable('direct_payments').set({ status: 'ended', ends_on: '2026-11-20' }).where('id', '=', overdue.dpId).execute();
    const behind = await differences(gen.councilId);
    expect(behind.some((x) => x.startsWith('spend'))).toBe(true);
    expect(behind.some((x) => x.startsWith('people-on-direct-payments'))).toBe(true);
    expect(behind.some((x) => x.startsWith('reviews'))).toBe(true);
    await refreshCouncilFlags(t.db, gen.councilId, { today: TEST_TODAY }); // monitoring's stored flags, which the flags page counts
    await refresh(gen.councilId);
    expect(await differences(gen.councilId)).toEqual([]);
  }, 120_000);

  it('the job may run again and twice at once: same rows, never doubled, a council being refreshed is skipped', async () => {
    const counts = async () => {
      const r = await sql<{ t: string; n: number }>`
        select 'support' as t, count(*)::int as n from insight_support_months union all select 'spend', count(*)::int from insight_spend_months
        union all select 'oneoff', count(*)::int from insight_one_off_months union all select 'reviews', count(*)::int from insight_review_months
        union all select 'waits', count(*)::int from insight_first_payment_waits union all select 'today', count(*)::int from insight_team_today
        union all select 'flags', count(*)::int from insight_flag_counts union all select 'refreshes', count(*)::int from insight_refreshes`.execute(t.ownerDb);
      return Object.fromEntries(r.rows.map((x) => [x.t, x.n]));
    };
    await runJob(t, 'insight.refresh-summaries');
    const once = await counts();
    await runJob(t, 'insight.refresh-summaries');
    expect(await counts()).toEqual(once);
    const both = await Promise.all([runJob(t, 'insight.refresh-summaries'), runJob(t, 'insight.refresh-summaries')]);
    expect(both[0].processed + both[1].processed).toBeGreaterThanOrEqual(once.refreshes!);
    expect(await counts()).toEqual(once);
    expect(await differences(ctx.councilId)).toEqual([]);

    // Another refresh of one council under way (its lock held on another connection): the job skips
    // that council, "skip" returns at once, and "wait" waits for it, then finds its figures.
    await t.ownerDb.connection().execute(async (other) => {
      await sql`select pg_advisory_lock(1610, hashtext(${ctx.councilId}::text))`.execute(other);
      try {
        const run = await runJob(t, 'insight.refresh-summaries');
        expect(run.processed).toBe(once.refreshes! - 1);
        expect(await refresh(ctx.councilId)).toEqual({ refreshed: false, reason: 'busy' });
        let waited = false;
        const waiting = refreshSummaries(t.db, ctx.councilId, { today: TEST_TODAY, now: t.clock.now(), ifBusy: 'wait' }).then((o) => { waited = true; return o; });
        await new Promise((r) => setTimeout(r, 300));
        expect(waited).toBe(false);
        await sql`select pg_advisory_unlock(1610, hashtext(${ctx.councilId}::text))`.execute(other);
        expect(await waiting).toEqual({ refreshed: false, reason: 'fresh' });
      } finally {
        await sql`select pg_advisory_unlock_all()`.execute(other);
      }
    });
    expect(await counts()).toEqual(once);
  }, 120_000);

  it('a manager refreshes the figures now, at most once a minute; the page says when they are from', async () => {
    const manager = await signedIn(t.app, 'manager');
    const { council_id: councilId } = await t.db.selectFrom('users').select('council_id').where('username', '=', 'manager').executeTakeFirstOrThrow();
    await manager.get('/insight/reviews');
    const tooSoon = await manager.post2('/insight/reviews/refresh?period=24m', {});
    expect(tooSoon.status).toBe(303);
    expect(tooSoon.headers.location).toBe('/insight/reviews?team=&period=24m&year=2026');
    expect((await manager.get('/insight/reviews?period=24m')).text).toContain('The figures are up to date');
    // An hour later (the figures are moved back, the test clock stands still).
    await t.ownerDb.updateTable('insight_refreshes').set({ refreshed_at: new Date('2026-11-23T11:00:00Z'), as_at_date: '2026-11-22' }).where('council_id', '=', councilId).execute();
    expect((await manager.get('/insight/reviews')).text).toContain('Figures as at 11:00 on 23 November 2026');
    expect((await manager.post2('/insight/reviews/refresh', {})).status).toBe(303);
    const after = await manager.get('/insight/reviews');
    expect(after.text).toContain('Figures refreshed');
    expect(after.text).toContain('Figures as at 12:00 on 23 November 2026');
    expect((await summaryStatus(t.db, councilId))!.asAtDate).toBe(TEST_TODAY);
  });
});
