import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { barChart, lineChart } from '../../domain/charts/svg.ts';
import { financialYear, monthLabel, monthsBetween, type Month } from '../../domain/charts/periods.ts';
import { formatPounds } from '../../domain/money.ts';
import { daysBetween, formatDate } from '../../domain/dates.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type InsightContext = {
  councilId: string;
  teamId: string | null;
  period: { from: string; to: string; label: string };
  /** The financial year (by the year it starts) for the money pages. */
  financialYear: number;
  today: string;
};

export type Table = { caption: string; head: string[]; rows: string[][]; numeric: boolean[] };
export type DashboardData = {
  /** Plain sentences: the headline figures. The first is also the chart's text alternative. */
  summary: string[];
  chart: string | null;
  table: Table;
  /** Raw values for the CSV download (money in pence as pounds with two decimals, counts as numbers). */
  csv: { head: string[]; rows: Array<Array<string | number>> };
  unavailable?: string;
};

export type Dashboard = {
  slug: string;
  title: string;
  /** What the page answers, for the index. */
  question: string;
  /** 'period' pages use the period filter; 'year' pages the financial year. */
  uses: 'period' | 'year' | 'today';
  build: (db: Db, ctx: InsightContext) => Promise<DashboardData>;
};

const n = (x: number) => x.toLocaleString('en-GB');
const pct = (x: number | null) => (x === null ? '–' : `${x.toFixed(1)}%`);
const pounds = (p: number) => formatPounds(p);
const csvPounds = (p: number) => (p / 100).toFixed(2);
const teamFilter = (teamId: string | null) => (teamId ? sql`and p.team_id = ${teamId}` : sql``);
/** The team filter without joining people: only the direct payments of that team's people. */
const teamOfDp = (teamId: string | null) => (teamId ? sql`and d.person_id in (select id from people where team_id = ${teamId})` : sql``);

/** Counts running at the end of each month from per-month starts and ends (ends counted from the day after). */
function runningByMonth(months: Month[], starts: Map<string, number>, ends: Map<string, number>): number[] {
  const keys = months.map((m) => m.key);
  const sumUpTo = (map: Map<string, number>, key: string) => { let t = 0; for (const [k, v] of map) if (k <= key) t += v; return t; };
  return keys.map((k) => sumUpTo(starts, k) - sumUpTo(ends, k));
}

async function startsAndEnds(db: Db, ctx: InsightContext, what: 'dp' | 'dp_community' | 'arranged') {
  const team = teamFilter(ctx.teamId);
  const rows = what === 'arranged'
    ? await sql<{ kind: 's' | 'e'; mon: string; n: number }>`
        with x as (
          select c.agreed_on as s, case when c.status = 'replaced' then c.updated_at::date end as e
          from plan_items i join care_plans c on c.id = i.plan_id join people p on p.id = c.person_id
          where p.council_id = ${ctx.councilId} and c.kind = 'ongoing' and c.status in ('agreed', 'replaced') and i.met_by = 'council_service'
            and i.cost_frequency = 'weekly' and c.agreed_on is not null and p.kind = 'adult' ${team}
        )
        select 's' as kind, to_char(s, 'YYYY-MM') as mon, count(*)::int as n from x group by 2
        union all
        select 'e', to_char(e + 1, 'YYYY-MM'), count(*)::int from x where e is not null group by 2`.execute(db)
    : await sql<{ kind: 's' | 'e'; mon: string; n: number }>`
        with x as (
          select coalesce(d.starts_on, d.first_payment_on) as s,
            case when d.status = 'ended' then coalesce(d.ends_on, d.updated_at::date) else d.ends_on end as e
          from direct_payments d join people p on p.id = d.person_id
          where d.council_id = ${ctx.councilId} and d.kind = 'ongoing' and d.status in ('active', 'suspended', 'ended')
            and coalesce(d.starts_on, d.first_payment_on) is not null ${team}
            ${what === 'dp_community' ? sql`and p.kind = 'adult'` : sql``}
        )
        select 's' as kind, to_char(s, 'YYYY-MM') as mon, count(*)::int as n from x group by 2
        union all
        select 'e', to_char(e + 1, 'YYYY-MM'), count(*)::int from x where e is not null group by 2`.execute(db);
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const r of rows.rows) (r.kind === 's' ? starts : ends).set(r.mon, r.n);
  return { starts, ends };
}

const peopleOnDirectPayments: Dashboard = {
  slug: 'people-on-direct-payments',
  title: 'People on direct payments over time',
  question: 'How many ongoing direct payments are running, month by month? (One-off payments have their own page.)',
  uses: 'period',
  async build(db, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const { starts, ends } = await startsAndEnds(db, ctx, 'dp');
    const running = runningByMonth(months, starts, ends);
    const first = running[0] ?? 0;
    const last = running.at(-1) ?? 0;
    const summary = [`${n(last)} ongoing direct payment${last === 1 ? '' : 's'} running at the end of ${months.at(-1)!.label}, ${last >= first ? 'up' : 'down'} from ${n(first)} at the end of ${months[0]!.label}.`];
    return {
      summary,
      chart: lineChart({ id: 'chart-people', title: this.title, description: summary[0]!, labels: months.map((m) => m.label), series: [{ name: 'Ongoing direct payments running', values: running }], integers: true }),
      table: { caption: 'Ongoing direct payments running at the end of each month', head: ['Month', 'Running at the end', 'Started', 'Stopped'], numeric: [false, true, true, true],
        rows: months.map((m, i) => [m.label, n(running[i]!), n(starts.get(m.key) ?? 0), n(ends.get(m.key) ?? 0)]) },
      csv: { head: ['month', 'running_at_month_end', 'started', 'stopped'], rows: months.map((m, i) => [m.key, running[i]!, starts.get(m.key) ?? 0, ends.get(m.key) ?? 0]) },
    };
  },
};

const communityShare: Dashboard = {
  slug: 'community-support-share',
  title: 'Long-term community support given as direct payments',
  question: 'Of the adults’ long-term community support, how much is a direct payment? (as ASCOF 3D part 2a counts it, by services)',
  uses: 'period',
  async build(db, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const dp = await startsAndEnds(db, ctx, 'dp_community');
    const arranged = await startsAndEnds(db, ctx, 'arranged');
    const dps = runningByMonth(months, dp.starts, dp.ends);
    const others = runningByMonth(months, arranged.starts, arranged.ends);
    const share = dps.map((d, i) => (d + others[i]! === 0 ? null : Math.round((d / (d + others[i]!)) * 1000) / 10));
    const lastShare = share.at(-1) ?? null;
    const summary = [`At the end of ${months.at(-1)!.label}, ${pct(lastShare)} of adults’ long-term community support services were direct payments (${n(dps.at(-1) ?? 0)} of ${n((dps.at(-1) ?? 0) + (others.at(-1) ?? 0))}). England’s figure for 2023-24 was about 25.5%.`];
    return {
      summary,
      chart: lineChart({ id: 'chart-share', title: this.title, description: summary[0]!, labels: months.map((m) => m.label), series: [{ name: 'Share as direct payments', values: share }], format: (v) => `${v}%` }),
      table: { caption: 'Long-term community support running at the end of each month', head: ['Month', 'Direct payments', 'Arranged by the council', 'Share as direct payments'], numeric: [false, true, true, true],
        rows: months.map((m, i) => [m.label, n(dps[i]!), n(others[i]!), pct(share[i]!)]) },
      csv: { head: ['month', 'direct_payments', 'council_arranged', 'share_percent'], rows: months.map((m, i) => [m.key, dps[i]!, others[i]!, share[i] ?? '']) },
    };
  },
};

const spendAgainstBudget: Dashboard = {
  slug: 'spend',
  title: 'Spend by month against the year’s budget',
  question: 'How much have we paid out this year, and are we within the budget?',
  uses: 'year',
  async build(db, ctx) {
    const fy = financialYear(ctx.financialYear);
    const months = monthsBetween(fy.from, fy.to);
    const team = teamOfDp(ctx.teamId);
    const [spent, budget] = await Promise.all([
      sql<{ mon: string; pence: number }>`
        select to_char(pm.due_on, 'YYYY-MM') as mon, sum(pm.amount_pence)::bigint as pence
        from payments pm join direct_payments d on d.id = pm.direct_payment_id
        where d.council_id = ${ctx.councilId} and pm.status = 'paid' and pm.due_on between ${fy.from} and ${fy.to} ${team}
        group by 1`.execute(db),
      db.selectFrom('insight_budgets').select('budget_pence').where('council_id', '=', ctx.councilId).where('financial_year', '=', ctx.financialYear).executeTakeFirst(),
    ]);
    const byMonth = new Map(spent.rows.map((r) => [r.mon, Number(r.pence)]));
    const values = months.map((m) => byMonth.get(m.key) ?? 0);
    let running = 0;
    const cumulative = values.map((v) => (running += v));
    const total = running;
    const budgetPence = budget?.budget_pence ?? null;
    const monthlyBudget = budgetPence === null ? null : Math.round(budgetPence / 12);
    const monthsGone = months.filter((m) => m.first <= ctx.today).length;
    const projected = monthsGone ? Math.round((total / monthsGone) * 12) : 0;
    const teamNote = ctx.teamId ? ' The budget is the whole council’s; this is one team’s spend.' : '';
    const summary = [
      budgetPence === null
        ? `${pounds(total)} paid out in ${fy.label}. No budget is set for this year: finance can set one.`
        : `${pounds(total)} paid out in ${fy.label}: ${pct((total / Math.max(1, budgetPence)) * 100)} of the ${pounds(budgetPence)} budget.${monthsGone && monthsGone < 12 ? ` At this rate the year ends at ${pounds(projected)}.` : ''}${teamNote}`,
    ];
    const fmt = (v: number) => (v >= 100_000_00 ? `£${Math.round(v / 100_000_00) / 10}m` : v >= 100_000 ? `£${Math.round(v / 100_000)}k` : `£${Math.round(v / 100)}`);
    return {
      summary,
      chart: barChart({ id: 'chart-spend', title: this.title, description: summary[0]!, labels: months.map((m) => m.label.slice(0, 3)), series: [{ name: 'Paid out', values }], format: fmt,
        reference: monthlyBudget === null ? undefined : { value: monthlyBudget, label: `A twelfth of the budget (${pounds(monthlyBudget)})` } }),
      table: { caption: `Paid out each month, ${fy.label}`, head: ['Month', 'Paid out', 'So far this year', 'Budget so far'], numeric: [false, true, true, true],
        rows: months.map((m, i) => [m.label, pounds(values[i]!), pounds(cumulative[i]!), budgetPence === null ? '–' : pounds(Math.round((budgetPence * (i + 1)) / 12))]) },
      csv: { head: ['month', 'paid_out_pounds', 'cumulative_pounds', 'budget_to_date_pounds'], rows: months.map((m, i) => [m.key, csvPounds(values[i]!), csvPounds(cumulative[i]!), budgetPence === null ? '' : csvPounds(Math.round((budgetPence * (i + 1)) / 12))]) },
    };
  },
};

const oneOffPayments: Dashboard = {
  slug: 'one-off-payments',
  title: 'One-off payments: outcomes and the cost avoided',
  question: 'Did one-off payments achieve what they were for, and what ongoing cost did they avoid?',
  uses: 'period',
  async build(db, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const team = teamOfDp(ctx.teamId);
    // Cost avoided: the cheapest other option in the business case over its horizon, less the one-off
    // (both costed as domain/cost-comparison.ts does: weekly × months × 52 ÷ 12, to the penny).
    const rows = await sql<{ mon: string; payments: number; paid_pence: number; met: number; partly: number; not_met: number; waiting: number; avoided_pence: number }>`
      with one_off as (
        select d.id, coalesce(d.starts_on, d.first_payment_on) as s, d.amount_pence
        from direct_payments d
        where d.council_id = ${ctx.councilId} and d.kind = 'one_off' and d.status in ('active', 'suspended', 'ended')
          and coalesce(d.starts_on, d.first_payment_on) between ${ctx.period.from} and ${ctx.period.to} ${team}
      ), checked as (
        select distinct on (r.direct_payment_id) r.direct_payment_id, r.outcomes_met
        from reviews r join one_off o on o.id = r.direct_payment_id where r.completed_on is not null order by r.direct_payment_id, r.completed_on desc
      ), avoided as (
        select b.direct_payment_id,
          greatest(0, min(case when not opt.proposed then opt.one_off_cost_pence + floor((opt.weekly_cost_pence * b.horizon_months * 52 + 6) / 12) end)
            - min(case when opt.proposed then opt.one_off_cost_pence + floor((opt.weekly_cost_pence * b.horizon_months * 52 + 6) / 12) end)) as pence
        from business_cases b join one_off o on o.id = b.direct_payment_id join business_case_options opt on opt.business_case_id = b.id
        group by b.direct_payment_id
      )
      select to_char(o.s, 'YYYY-MM') as mon, count(*)::int as payments, coalesce(sum(o.amount_pence), 0)::bigint as paid_pence,
        count(*) filter (where c.outcomes_met = 'met')::int as met, count(*) filter (where c.outcomes_met = 'partly')::int as partly,
        count(*) filter (where c.outcomes_met = 'not_met')::int as not_met, count(*) filter (where c.outcomes_met is null)::int as waiting,
        coalesce(sum(a.pence), 0)::bigint as avoided_pence
      from one_off o left join checked c on c.direct_payment_id = o.id left join avoided a on a.direct_payment_id = o.id
      group by 1`.execute(db);
    const by = new Map(rows.rows.map((r) => [r.mon, r]));
    const get = (m: Month) => by.get(m.key) ?? { payments: 0, paid_pence: 0, met: 0, partly: 0, not_met: 0, waiting: 0, avoided_pence: 0 };
    const t = rows.rows.reduce((a, r) => ({ payments: a.payments + r.payments, met: a.met + r.met, partly: a.partly + r.partly, notMet: a.notMet + r.not_met, waiting: a.waiting + r.waiting, paid: a.paid + Number(r.paid_pence), avoided: a.avoided + Number(r.avoided_pence) }),
      { payments: 0, met: 0, partly: 0, notMet: 0, waiting: 0, paid: 0, avoided: 0 });
    const checked = t.met + t.partly + t.notMet;
    const summary = [
      `${n(t.payments)} one-off payment${t.payments === 1 ? '' : 's'} in ${ctx.period.label.toLowerCase()}, ${pounds(t.paid)} in all. ` + (checked
        ? `Of the ${n(checked)} checked back, ${n(t.met)} (${pct((t.met / checked) * 100)}) fully met their outcomes, ${n(t.partly)} partly and ${n(t.notMet)} not; ${n(t.waiting)} not checked back yet.`
        : `None has been checked back yet.`),
      `Against the other options in their business cases, they avoided about ${pounds(t.avoided)} of ongoing support.`,
    ];
    return {
      summary,
      chart: barChart({ id: 'chart-oneoff', title: this.title, description: summary.join(' '), labels: months.map((m) => m.label), integers: true, series: [
        { name: 'Outcomes met', values: months.map((m) => get(m).met) },
        { name: 'Partly or not met', values: months.map((m) => get(m).partly + get(m).not_met) },
        { name: 'Not checked yet', values: months.map((m) => get(m).waiting) },
      ] }),
      table: { caption: 'One-off payments by the month they were paid', head: ['Month', 'Payments', 'Paid', 'Met', 'Partly met', 'Not met', 'Not checked yet', 'Cost avoided'], numeric: [false, true, true, true, true, true, true, true],
        rows: months.map((m) => { const r = get(m); return [m.label, n(r.payments), pounds(Number(r.paid_pence)), n(r.met), n(r.partly), n(r.not_met), n(r.waiting), pounds(Number(r.avoided_pence))]; }) },
      csv: { head: ['month', 'payments', 'paid_pounds', 'met', 'partly_met', 'not_met', 'not_checked', 'cost_avoided_pounds'],
        rows: months.map((m) => { const r = get(m); return [m.key, r.payments, csvPounds(Number(r.paid_pence)), r.met, r.partly, r.not_met, r.waiting, csvPounds(Number(r.avoided_pence))]; }) },
    };
  },
};

const reviewsDue: Dashboard = {
  slug: 'reviews',
  title: 'Reviews due and overdue',
  question: 'Are reviews done on time, and how many are overdue today?',
  uses: 'period',
  async build(db, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const team = teamOfDp(ctx.teamId);
    const [rows, now] = await Promise.all([
      sql<{ mon: string; on_time: number; late: number; overdue: number; open: number }>`
        select to_char(r.due_on, 'YYYY-MM') as mon,
          count(*) filter (where r.completed_on is not null and r.completed_on <= r.due_on)::int as on_time,
          count(*) filter (where r.completed_on is not null and r.completed_on > r.due_on)::int as late,
          count(*) filter (where r.completed_on is null and r.due_on < ${ctx.today})::int as overdue,
          count(*) filter (where r.completed_on is null and r.due_on >= ${ctx.today})::int as open
        from reviews r join direct_payments d on d.id = r.direct_payment_id
        where d.council_id = ${ctx.councilId} and r.due_on between ${ctx.period.from} and ${ctx.period.to} ${team}
        group by 1`.execute(db),
      sql<{ overdue: number; oldest: string | null; next_month: number }>`
        select count(*) filter (where r.due_on < ${ctx.today})::int as overdue, min(r.due_on) filter (where r.due_on < ${ctx.today}) as oldest,
          count(*) filter (where r.due_on between ${ctx.today} and (${ctx.today}::date + 30))::int as next_month
        from reviews r join direct_payments d on d.id = r.direct_payment_id
        where d.council_id = ${ctx.councilId} and r.completed_on is null and d.status in ('active', 'suspended', 'agreed', 'ended') ${team}`.execute(db),
    ]);
    const by = new Map(rows.rows.map((r) => [r.mon, r]));
    const get = (m: Month) => by.get(m.key) ?? { on_time: 0, late: 0, overdue: 0, open: 0 };
    const o = now.rows[0]!;
    const summary = [
      `${n(o.overdue)} review${o.overdue === 1 ? ' is' : 's are'} overdue today${o.oldest ? `, the oldest due on ${formatDate(o.oldest)} (${n(daysBetween(o.oldest, ctx.today))} days ago)` : ''}; ${n(o.next_month)} more fall due in the next 30 days.`,
    ];
    return {
      summary,
      chart: barChart({ id: 'chart-reviews', title: this.title, integers: true, description: `${summary[0]} The chart shows, for each month reviews fell due, how many were done on time, done late, and are still overdue.`, labels: months.map((m) => m.label), series: [
        { name: 'Done on time', values: months.map((m) => get(m).on_time) },
        { name: 'Done late', values: months.map((m) => get(m).late) },
        { name: 'Overdue', values: months.map((m) => get(m).overdue) },
      ] }),
      table: { caption: 'Reviews by the month they fell due', head: ['Month due', 'Done on time', 'Done late', 'Overdue', 'Not due yet'], numeric: [false, true, true, true, true],
        rows: months.map((m) => { const r = get(m); return [m.label, n(r.on_time), n(r.late), n(r.overdue), n(r.open)]; }) },
      csv: { head: ['month_due', 'done_on_time', 'done_late', 'overdue', 'not_due_yet'], rows: months.map((m) => { const r = get(m); return [m.key, r.on_time, r.late, r.overdue, r.open]; }) },
    };
  },
};

const RULE_NAMES: Record<string, string> = {
  balance_over_contingency: 'Money building up beyond the contingency',
  unexplained_spending: 'Money out that is not explained',
  no_statements: 'No recent statements',
  unregistered_payee: 'Regular payments to someone not on a payroll',
  previous_concern: 'A concern raised before',
};

const monitoringFlags: Dashboard = {
  slug: 'monitoring-flags',
  title: 'Monitoring flags today',
  question: 'Which monitoring checks are flagging direct payments today?',
  uses: 'today',
  async build(db, ctx) {
    let flags: Array<{ rule: string; level: string; personId: string }>;
    try {
      const monitoring = await import('../monitoring/queries.ts');
      flags = await monitoring.currentFlags(db, ctx.councilId, { today: ctx.today });
    } catch {
      return { summary: [], chart: null, table: { caption: '', head: [], rows: [], numeric: [] }, csv: { head: [], rows: [] }, unavailable: 'Monitoring flags are not available yet: the monitoring checks are not set up in this service.' };
    }
    if (ctx.teamId) {
      const ids = new Set((await db.selectFrom('people').select('id').where('council_id', '=', ctx.councilId).where('team_id', '=', ctx.teamId).execute()).map((p) => p.id));
      flags = flags.filter((f) => ids.has(f.personId));
    }
    const rules = [...new Set([...Object.keys(RULE_NAMES), ...flags.map((f) => f.rule)])];
    const count = (rule: string, level: string) => flags.filter((f) => f.rule === rule && f.level === level).length;
    const people = new Set(flags.map((f) => f.personId)).size;
    const summary = [`${n(flags.length)} flag${flags.length === 1 ? '' : 's'} today on the direct payments of ${n(people)} ${people === 1 ? 'person' : 'people'}: ${n(flags.filter((f) => f.level === 'high').length)} high and ${n(flags.filter((f) => f.level !== 'high').length)} medium.`];
    const names = rules.map((r) => RULE_NAMES[r] ?? r);
    return {
      summary,
      chart: barChart({ id: 'chart-flags', title: this.title, integers: true, description: summary[0]!, labels: rules.map((_, i) => `Check ${i + 1}`), series: [
        { name: 'High', values: rules.map((r) => count(r, 'high')) },
        { name: 'Medium', values: rules.map((r) => count(r, 'medium')) },
      ] }),
      table: { caption: 'Flags by check', head: ['Check', 'What it looks for', 'High', 'Medium'], numeric: [false, false, true, true],
        rows: rules.map((r, i) => [`Check ${i + 1}`, names[i]!, n(count(r, 'high')), n(count(r, 'medium'))]) },
      csv: { head: ['rule', 'description', 'high', 'medium'], rows: rules.map((r, i) => [r, names[i]!, count(r, 'high'), count(r, 'medium')]) },
    };
  },
};

const timeToFirstPayment: Dashboard = {
  slug: 'time-to-first-payment',
  title: 'Days from the first conversation to the first payment',
  question: 'How long do people wait from their first conversation to their first payment?',
  uses: 'period',
  async build(db, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const team = teamOfDp(ctx.teamId);
    // Nearest-rank percentiles (percentile_disc), by month and (the rollup row) over the whole period.
    const rows = await sql<{ mon: string | null; n: number; median: number | null; p90: number | null }>`
      with w as (
        select to_char(d.first_payment_on, 'YYYY-MM') as mon,
          d.first_payment_on - (select min(c.held_on) from conversations c where c.person_id = d.person_id) as days
        from direct_payments d
        where d.council_id = ${ctx.councilId} and d.status in ('active', 'suspended', 'ended') and d.first_payment_on between ${ctx.period.from} and ${ctx.period.to} ${team}
      )
      select mon, count(*)::int as n, percentile_disc(0.5) within group (order by days) as median, percentile_disc(0.9) within group (order by days) as p90
      from w where days is not null group by rollup (mon)`.execute(db);
    const by = new Map(rows.rows.filter((r) => r.mon !== null).map((r) => [r.mon!, r]));
    const overall = rows.rows.find((r) => r.mon === null);
    const stats = months.map((m) => { const r = by.get(m.key); return { count: r?.n ?? 0, median: r?.median ?? null, p90: r?.p90 ?? null }; });
    const all = { length: overall?.n ?? 0 };
    const median = overall?.median ?? null;
    const p90 = overall?.p90 ?? null;
    const summary = [all.length
      ? `Half of the ${n(all.length)} people first paid in ${ctx.period.label.toLowerCase()} waited ${n(median!)} days or fewer from their first conversation; nine in ten waited ${n(p90!)} days or fewer.`
      : `Nobody was first paid in ${ctx.period.label.toLowerCase()}.`];
    return {
      summary,
      chart: lineChart({ id: 'chart-wait', title: this.title, description: summary[0]!, labels: months.map((m) => m.label), series: [
        { name: 'Median (half waited less)', values: stats.map((s) => s.median) },
        { name: '9 in 10 waited less', values: stats.map((s) => s.p90) },
      ], format: (v) => `${v} days` }),
      table: { caption: 'Days from the first conversation to the first payment, by the month of the first payment', head: ['Month', 'People first paid', 'Median days', '9 in 10 within (days)'], numeric: [false, true, true, true],
        rows: months.map((m, i) => [m.label, n(stats[i]!.count), stats[i]!.median === null ? '–' : n(stats[i]!.median!), stats[i]!.p90 === null ? '–' : n(stats[i]!.p90!)]) },
      csv: { head: ['month', 'people_first_paid', 'median_days', 'p90_days'], rows: months.map((m, i) => [m.key, stats[i]!.count, stats[i]!.median ?? '', stats[i]!.p90 ?? '']) },
    };
  },
};

export const DASHBOARDS: Dashboard[] = [peopleOnDirectPayments, communityShare, spendAgainstBudget, oneOffPayments, reviewsDue, monitoringFlags, timeToFirstPayment];

export function dashboardBySlug(slug: string): Dashboard | undefined {
  return DASHBOARDS.find((d) => d.slug === slug);
}

export { monthLabel };
