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
import { cldData } from '../reports/cld-records.ts';
import { ascof3d, ascofPeriod } from '../../domain/ascof.ts';
import { sampleFeedback } from './sample-feedback.ts';

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
 * - Feedback survey answers (helps / easy / listened / wrote a comment):
 *   DP1 after its first payment, 10 Feb 2026: a lot / quite hard / yes / wrote;
 *   DP2 after its first payment, 31 Mar 2026 23:30 UTC (00:30 on 1 April in London, so April):
 *   not at all / very easy / no / blank; DP1 after its July review, sent 20 Apr 2026 (a test
 *   convenience): a little / very easy / mostly / blank; and one in August, outside January–April.
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
  const answer = (dpId: string, key: string, at: string, helps: string, easy: string, listened: string, better: string | null) =>
    ({ council_id: c.id, direct_payment_id: dpId, moment: key === 'first_payment' ? 'first_payment' : 'review', moment_key: key, helps, easy, listened, better, answered_as: 'recipient', language: 'en', created_at: new Date(at) });
  await db.insertInto('feedback_responses').values([
    answer(dp1, 'first_payment', '2026-02-10T10:00:00Z', 'a_lot', 'fairly_hard', 'yes', 'Quicker answers on the phone'),
    answer(dp2, 'first_payment', '2026-03-31T23:30:00Z', 'not_at_all', 'very_easy', 'no', null),
    answer(dp1, 'review:a', '2026-04-20T09:00:00Z', 'a_little', 'very_easy', 'mostly', null),
    answer(dp3, 'first_payment', '2026-08-01T09:00:00Z', 'a_lot', 'very_easy', 'yes', null),
  ]).execute();
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

  it('what people told us: each answer by quarter, with its share of the quarter’s answers', async () => {
    // January–April 2026: the quarter January to March holds DP1's February answer (1 answer); April
    // (part of a quarter) holds DP2's, sent at 00:30 London time on 1 April, and DP1's review answer (2).
    const fb = await build('feedback');
    const row = (from: string, question: string, answer: string) => fb.csv.rows.find((r) => r[0] === from && r[2] === question && r[3] === answer)!.slice(4);
    expect(fb.csv.head).toEqual(['quarter_from', 'quarter_to', 'question', 'answer', 'answers', 'share_percent']);
    expect([...new Set(fb.csv.rows.map((r) => `${r[0]}..${r[1]}`))]).toEqual(['2026-01..2026-03', '2026-04..2026-04']);
    expect(fb.csv.rows).toHaveLength(2 * 14); // 4 + 4 + 4 answers and written/blank, each quarter
    expect(row('2026-01', 'helps', 'a_lot')).toEqual([1, 100]);
    expect(row('2026-01', 'easy', 'fairly_hard')).toEqual([1, 100]);
    expect(row('2026-01', 'easy', 'very_easy')).toEqual([0, 0]);
    expect(row('2026-01', 'better', 'wrote')).toEqual([1, 100]);
    expect(row('2026-04', 'helps', 'a_little')).toEqual([1, 50]);
    expect(row('2026-04', 'helps', 'not_at_all')).toEqual([1, 50]);
    expect(row('2026-04', 'easy', 'very_easy')).toEqual([2, 100]);
    expect(row('2026-04', 'listened', 'no')).toEqual([1, 50]);
    expect(row('2026-04', 'better', 'blank')).toEqual([2, 100]);
    // 3 answers: helping 2 of 3 (a lot, a little), easy 2 of 3 (very easy twice), listened 2 of 3 (yes, mostly), 1 comment.
    expect(fb.summary[0]).toBe('3 answers to the feedback survey in January to April 2026: 66.7% said the direct payment is helping, 66.7% found it easy to manage, and 66.7% said we listened to what matters; 1 wrote what we could do better.');
    expect(fb.table.rows[0]).toEqual(['Jan to Mar 2026', 'Is the direct payment helping?', 'Yes, a lot', '1', '100.0%']);
    expect(fb.chart).toContain('Wrote what we could do better');
    // Team 2: only DP2's April answer; a quarter nobody answered in has no shares.
    const team2 = await build('feedback', { teamId: teams.t2 });
    expect(team2.csv.rows.filter((r) => r[4] !== 0).map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual([
      ['2026-04', 'helps', 'not_at_all', 1, 100], ['2026-04', 'easy', 'very_easy', 1, 100], ['2026-04', 'listened', 'no', 1, 100], ['2026-04', 'better', 'blank', 1, 100],
    ]);
    expect(team2.csv.rows.find((r) => r[0] === '2026-01')![5]).toBe('');
    // A period ending today (23 November) leaves out nothing here, and takes in August.
    const year = await build('feedback', { period: periodRange('12m', TEST_TODAY) });
    expect(year.summary[0]).toMatch(/^4 answers/);
    expect((await build('feedback', { period: { from: '2026-05-01', to: '2026-07-31', label: 'May to July 2026' } })).summary[0]).toBe('Nobody answered the feedback survey in May to July 2026.');
  });

  it('community support share counts people as ASCOF 3D part 2a does, not services', async () => {
    const db = t.ownerDb;
    const c = (await db.insertInto('councils').values({ code: 'ASCOFPEOPLE', name: 'ASCOF People Council', jurisdiction: 'england' }).returning('id').executeTakeFirstOrThrow()).id;
    const [ta, tb] = await Promise.all(['A', 'B'].map(async (name) => (await db.insertInto('teams').values({ council_id: c, name }).returning('id').executeTakeFirstOrThrow()).id));
    const u = (await db.insertInto('users').values({ username: 'ascof-people', display_name: 'A', role: 'practitioner', council_id: c, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
    const person = async (given: string, o: { dob: string; kind?: string; died?: string; team?: string }) => (await db.insertInto('people').values({
      council_id: c, team_id: o.team ?? ta!, given_name: given, family_name: 'Test', date_of_birth: o.dob, date_of_death: o.died ?? null, kind: o.kind ?? 'adult' }).returning('id').executeTakeFirstOrThrow()).id;
    const dp = (personId: string, o: { starts: string; ends?: string; type?: string; kind?: string }) => db.insertInto('direct_payments').values({
      council_id: c, person_id: personId, kind: o.kind ?? 'ongoing', status: o.ends ? 'ended' : 'active', purpose: 'x', weekly_amount_pence: o.kind === 'one_off' ? null : 10000, amount_pence: o.kind === 'one_off' ? 30000 : null,
      frequency: o.kind === 'one_off' ? 'once' : 'four_weekly', payment_method: 'bank_account', starts_on: o.starts, ends_on: o.ends ?? null, first_payment_on: o.starts, created_by: u,
      cld_service_type: o.type ?? 'Long term support: Community' }).execute();
    const arranged = async (personId: string, agreed: string, items = 1) => {
      const plan = (await db.insertInto('care_plans').values({ person_id: personId, kind: 'ongoing', status: 'agreed', agreed_on: agreed, created_by: u }).returning('id').executeTakeFirstOrThrow()).id;
      for (let i = 1; i <= items; i++) await db.insertInto('plan_items').values({ plan_id: plan, position: i, outcome: 'x', how: 'Home care', met_by: 'council_service', cost_frequency: 'weekly', cost_pence: 9000 }).execute();
    };
    // Worked out by hand, for the last day of January, February and March 2026:
    // - Ann: a direct payment from 10 Jan and a service the council arranges from 1 Dec: one person, with a DP. Jan, Feb, Mar.
    // - Ben: born 29 Feb 2008, a direct payment from 1 Nov 2025: 18 on 1 March 2026, so only at the end of March.
    // - Cai: a council service from 1 Oct 2025; died 15 March 2026: end of January and February, not March.
    // - Dee: a child with a direct payment: never (children are not in the adult measure).
    // - Eve: a one-off typed short-term support (never), and two council services in one plan from 15 Feb: one person, Feb and Mar.
    // - Fay (team B): a direct payment 1 Dec 2025 to 27 Feb 2026: end of January only.
    // - Gus: a direct payment for January (ends 31 Jan, so open on the 31st) then another from 1 Feb: once a month, Jan–Mar, with a DP.
    // End of Jan: Ann, Cai, Fay, Gus = 4, with a DP Ann, Fay, Gus = 3 (75.0%).
    // End of Feb: Ann, Cai, Eve, Gus = 4, with a DP Ann, Gus = 2 (50.0%).
    // End of Mar: Ann, Ben, Eve, Gus = 4, with a DP Ann, Ben, Gus = 3 (75.0%).
    // Counting services instead would have given 6 at the end of January (Ann twice, Ben, Cai, Fay, Gus) and Eve twice from February.
    const ann = await person('Ann', { dob: '1960-05-05' });
    await dp(ann, { starts: '2026-01-10' });
    await arranged(ann, '2025-12-01');
    await dp(await person('Ben', { dob: '2008-02-29' }), { starts: '2025-11-01' });
    await arranged(await person('Cai', { dob: '1950-01-01', died: '2026-03-15' }), '2025-10-01');
    await dp(await person('Dee', { dob: '2015-06-01', kind: 'child' }), { starts: '2025-10-01' });
    const eve = await person('Eve', { dob: '1980-01-01' });
    await dp(eve, { starts: '2026-02-01', kind: 'one_off', type: 'Short term support: Other short term' });
    await arranged(eve, '2026-02-15', 2);
    await dp(await person('Fay', { dob: '1985-01-01', team: tb }), { starts: '2025-12-01', ends: '2026-02-27' });
    const gus = await person('Gus', { dob: '1975-01-01' });
    await dp(gus, { starts: '2026-01-01', ends: '2026-01-31' });
    await dp(gus, { starts: '2026-02-01' });
    await refresh(c);
    const q1 = { councilId: c, period: { from: '2026-01-01', to: '2026-03-31', label: 'January to March 2026' } };
    const share = await build('community-support-share', q1);
    expect(share.csv.head).toEqual(['month', 'adults_with_community_support', 'with_direct_payment', 'share_percent']);
    expect(share.csv.rows).toEqual([['2026-01', 4, 3, 75], ['2026-02', 4, 2, 50], ['2026-03', 4, 3, 75]]);
    expect(share.summary[0]).toContain('75.0% of adults with long-term community support had it as a direct payment (3 of 4 people)');
    expect((await build('community-support-share', { ...q1, teamId: tb })).csv.rows).toEqual([['2026-01', 1, 1, 100], ['2026-02', 0, 0, ''], ['2026-03', 0, 0, '']]);
    // The same as ASCOF 3D part 2a worked out from the Client Level Data rows for 2025-26 (features/reports).
    const ascof = ascof3d((await cldData(t.db, c, ascofPeriod(2026))).records.map((r) => r.row), 2026);
    expect([ascof.part2a.denominator, ascof.part2a.numerator, ascof.part2a.value]).toEqual([4, 3, 75]);
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
    for (const path of ['/insight/feedback', '/insight/feedback/data.csv']) {
      expect((await practitioner.get(path)).status).toBe(403);
      expect((await (await signedIn(t.app, 'admin')).get(path)).status).toBe(403);
    }
  });

  it('what people told us: managers are led to the comments on /feedback; finance reads the counts only', async () => {
    const manager = await signedIn(t.app, 'manager');
    // The test database's demo council has no survey answers yet: some, 1–60 days after first payments.
    const { council_id: councilId } = await t.db.selectFrom('users').select('council_id').where('username', '=', 'manager').executeTakeFirstOrThrow();
    expect(await sampleFeedback(t.ownerDb, councilId, TEST_TODAY)).toBeGreaterThan(0);
    await refresh(councilId);
    const page = await manager.get('/insight/feedback?period=24m');
    expect(page.text).toContain('href="/feedback"');
    expect((await manager.get('/feedback')).status).toBe(200);
    const finance = await signedIn(t.app, 'finance');
    const counts = await finance.get('/insight/feedback?period=24m');
    expect(counts.status).toBe(200);
    expect(counts.text).not.toContain('href="/feedback"');
    expect((await finance.get('/feedback')).status).toBe(403);
    const csv = await finance.get('/insight/feedback/data.csv?period=24m');
    expect(csv.text.split('\r\n')[0]).toBe('quarter_from,quarter_to,question,answer,answers,share_percent');
    // The demo's answers are on the page: not an empty survey.
    expect(csv.text.split('\r\n').slice(1).some((line) => /,[1-9]\d*,[\d.]+$/.test(line))).toBe(true);
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
    // Not nothing against nothing: the demo council has survey answers (the test above added them).
    expect((await t.db.selectFrom('insight_feedback_months').select(({ fn }) => fn.sum<number>('answers').as('n')).executeTakeFirstOrThrow()).n).toBeGreaterThan(4);
  });

  it('give the same figures as the live queries on a small generated council, and notice when the records change', async () => {
    const gen = await generateCouncil(t.ownerDb, { people: 400, today: TEST_TODAY, code: 'INSIGHTGEN' });
    expect(await sampleFeedback(t.ownerDb, gen.councilId, TEST_TODAY)).toBeGreaterThan(50);
    await refresh(gen.councilId);
    expect(await differences(gen.councilId)).toEqual([]);
    // Not comparing nothing with nothing: the generated council has figures on every page but the flags.
    const all = await everyFilter(gen.councilId);
    for (const d of DASHBOARDS.filter((x) => x.slug !== 'monitoring-flags')) {
      const [, c] = all.find(([slug, x]) => slug === d.slug && x.teamId === null && (d.uses !== 'period' || x.period.label === PERIODS['60m']) && (d.uses !== 'year' || x.financialYear === financialYearOf(TEST_TODAY) - 1))!;
      const data = await d.build(t.db, c);
      expect(data.csv.rows.some((r) => r.slice(1).some((v) => v !== 0 && v !== '0.00' && v !== '')), d.slug).toBe(true);
    }

    // People with community support on 31 March 2026, as ASCOF 3D part 2a counts them from the return's rows.
    const lastFy = all.find(([slug, x]) => slug === 'community-support-share' && x.teamId === null && x.period.to === `${financialYearOf(TEST_TODAY)}-03-31`)![1];
    const march = (await dashboardBySlug('community-support-share')!.build(t.db, lastFy)).csv.rows.at(-1)!;
    const ascof = ascof3d((await cldData(t.db, gen.councilId, ascofPeriod(financialYearOf(TEST_TODAY)))).records.map((r) => r.row), financialYearOf(TEST_TODAY));
    expect(march.slice(1, 3)).toEqual([ascof.part2a.denominator, ascof.part2a.numerator]);
    expect(ascof.part2a.numerator).toBeGreaterThan(0);

    // The records change after the refresh: the summary is now behind the live figures (so this
    // comparison can fail), until the next refresh catches up.
    const overdue = await t.ownerDb.selectFrom('reviews').innerJoin('direct_payments as d', 'd.id', 'reviews.direct_payment_id')
      .select(['reviews.id', 'd.id as dpId']).where('d.council_id', '=', gen.councilId).where('d.kind', '=', 'ongoing').where('d.status', '=', 'active')
      .where('reviews.completed_on', 'is', null).where('reviews.due_on', '<', TEST_TODAY).executeTakeFirstOrThrow();
    await t.ownerDb.insertInto('payments').values({ direct_payment_id: overdue.dpId, period_starts_on: '2026-11-02', period_ends_on: '2026-11-29', due_on: '2026-11-02', amount_pence: 12345, status: 'paid' }).execute();
    await t.ownerDb.updateTable('reviews').set({ completed_on: TEST_TODAY, outcomes_met: 'met', working: true, changes: 'none' }).where('id', '=', overdue.id).execute();
    await t.ownerDb.updateTable('direct_payments').set({ status: 'ended', ends_on: '2026-11-20' }).where('id', '=', overdue.dpId).execute();
    await t.ownerDb.insertInto('feedback_responses').values({ council_id: gen.councilId, direct_payment_id: overdue.dpId, moment: 'review', moment_key: `review:${overdue.id}`,
      helps: 'not_really', easy: 'very_hard', listened: 'no', better: null, answered_as: 'recipient', language: 'en', created_at: new Date('2026-11-23T09:00:00Z') }).execute();
    const behind = await differences(gen.councilId);
    expect(behind.some((x) => x.startsWith('spend'))).toBe(true);
    expect(behind.some((x) => x.startsWith('people-on-direct-payments'))).toBe(true);
    expect(behind.some((x) => x.startsWith('reviews'))).toBe(true);
    expect(behind.some((x) => x.startsWith('feedback'))).toBe(true);
    expect(behind.some((x) => x.startsWith('community-support-share'))).toBe(true);
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
        union all select 'flags', count(*)::int from insight_flag_counts union all select 'feedback', count(*)::int from insight_feedback_months
        union all select 'community', count(*)::int from insight_community_people_months union all select 'refreshes', count(*)::int from insight_refreshes`.execute(t.ownerDb);
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
