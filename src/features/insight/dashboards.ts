import { barChart, lineChart } from '../../domain/charts/svg.ts';
import { financialYear, monthLabel, monthsBetween, type Month } from '../../domain/charts/periods.ts';
import { formatPounds } from '../../domain/money.ts';
import { daysBetween, formatDate } from '../../domain/dates.ts';
import { feedbackKey, flagKey, type Db, type Figures, type InsightContext, type Slug } from './figures.ts';
import { live } from './live.ts';
import { fromSummaries } from './summaries.ts';
import { translator } from '../../platform/i18n/index.ts';
import { POSITIVE, QUESTIONS, type Question } from '../feedback/questions.ts';

export type { InsightContext } from './figures.ts';

export type Table = { caption: string; head: string[]; rows: string[][]; numeric: boolean[] };
export type DashboardData = {
  /** Plain sentences: the headline figures. The first is also the chart's text alternative. */
  summary: string[];
  chart: string | null;
  table: Table;
  /** Raw values for the CSV download (money in pence as pounds with two decimals, counts as numbers). */
  csv: { head: string[]; rows: Array<Array<string | number>> };
  unavailable?: string;
  /** A long table with text columns: chart and table each take the full width. */
  wide?: boolean;
};

/** Where a page's figures come from: the summary tables (what pages read) or the records themselves (the definition; tests). */
export type Source = 'summary' | 'live';

export type Dashboard = {
  slug: Slug;
  title: string;
  /** What the page answers, for the index. */
  question: string;
  /** 'period' pages use the period filter; 'year' pages the financial year. */
  uses: 'period' | 'year' | 'today';
  figures: (db: Db, ctx: InsightContext, source?: Source) => Promise<Figures[Slug]>;
  build: (db: Db, ctx: InsightContext, source?: Source) => Promise<DashboardData>;
};

type Definition<S extends Slug> = Omit<Dashboard, 'slug' | 'figures' | 'build'> & { slug: S; render: (f: Figures[S], ctx: InsightContext) => DashboardData };

function dashboard<S extends Slug>(d: Definition<S>): Dashboard {
  const figures = (db: Db, ctx: InsightContext, source: Source = 'summary') => (source === 'live' ? live : fromSummaries)[d.slug](db, ctx) as Promise<Figures[S]>;
  return {
    slug: d.slug, title: d.title, question: d.question, uses: d.uses, figures,
    build: async (db, ctx, source) => d.render(await figures(db, ctx, source), ctx),
  };
}

const n = (x: number) => x.toLocaleString('en-GB');
const pct = (x: number | null) => (x === null ? '–' : `${x.toFixed(1)}%`);
const pounds = (p: number) => formatPounds(p);
const csvPounds = (p: number) => (p / 100).toFixed(2);

/** Counts running at the end of each month from per-month starts and ends (ends counted from the day after). */
function runningByMonth(months: Month[], starts: Map<string, number>, ends: Map<string, number>): number[] {
  const keys = months.map((m) => m.key);
  const sumUpTo = (map: Map<string, number>, key: string) => { let t = 0; for (const [k, v] of map) if (k <= key) t += v; return t; };
  return keys.map((k) => sumUpTo(starts, k) - sumUpTo(ends, k));
}

const peopleOnDirectPayments = dashboard({
  slug: 'people-on-direct-payments',
  title: 'People on direct payments over time',
  question: 'How many ongoing direct payments are running, month by month? (One-off payments have their own page.)',
  uses: 'period',
  render({ starts, ends }, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
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
});

const communityShare = dashboard({
  slug: 'community-support-share',
  title: 'Long-term community support given as direct payments',
  question: 'Of the adults with long-term community support, how many have it as a direct payment? (as ASCOF 3D part 2a counts them: each person once, at each month’s end)',
  uses: 'period',
  render({ people, dpPeople }, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const all = months.map((m) => people.get(m.key) ?? 0);
    const dps = months.map((m) => dpPeople.get(m.key) ?? 0);
    const share = dps.map((d, i) => (all[i] === 0 ? null : Math.round((d / all[i]!) * 1000) / 10));
    const summary = [`At the end of ${months.at(-1)!.label}, ${pct(share.at(-1) ?? null)} of adults with long-term community support had it as a direct payment (${n(dps.at(-1) ?? 0)} of ${n(all.at(-1) ?? 0)} people). England’s figure for 2023-24 was about 25.5%.`];
    return {
      summary,
      chart: lineChart({ id: 'chart-share', title: this.title, description: summary[0]!, labels: months.map((m) => m.label), series: [{ name: 'Share with a direct payment', values: share }], format: (v) => `${v}%` }),
      table: { caption: 'Adults with long-term community support at the end of each month', head: ['Month', 'Adults with community support', 'With a direct payment', 'Share with a direct payment'], numeric: [false, true, true, true],
        rows: months.map((m, i) => [m.label, n(all[i]!), n(dps[i]!), pct(share[i]!)]) },
      csv: { head: ['month', 'adults_with_community_support', 'with_direct_payment', 'share_percent'], rows: months.map((m, i) => [m.key, all[i]!, dps[i]!, share[i] ?? '']) },
    };
  },
});

const spendAgainstBudget = dashboard({
  slug: 'spend',
  title: 'Spend by month against the year’s budget',
  question: 'How much have we paid out this year, and are we within the budget?',
  uses: 'year',
  render({ paid, budgetPence }, ctx) {
    const fy = financialYear(ctx.financialYear);
    const months = monthsBetween(fy.from, fy.to);
    const values = months.map((m) => paid.get(m.key) ?? 0);
    let running = 0;
    const cumulative = values.map((v) => (running += v));
    const total = running;
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
});

const oneOffPayments = dashboard({
  slug: 'one-off-payments',
  title: 'One-off payments: outcomes and the cost avoided',
  question: 'Did one-off payments achieve what they were for, and what ongoing cost did they avoid?',
  uses: 'period',
  render(by, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const get = (m: Month) => by.get(m.key) ?? { payments: 0, paid_pence: 0, met: 0, partly: 0, not_met: 0, waiting: 0, avoided_pence: 0 };
    const t = [...by.values()].reduce((a, r) => ({ payments: a.payments + r.payments, met: a.met + r.met, partly: a.partly + r.partly, notMet: a.notMet + r.not_met, waiting: a.waiting + r.waiting, paid: a.paid + Number(r.paid_pence), avoided: a.avoided + Number(r.avoided_pence) }),
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
});

const reviewsDue = dashboard({
  slug: 'reviews',
  title: 'Reviews due and overdue',
  question: 'Are reviews done on time, and how many are overdue today?',
  uses: 'period',
  render({ months: by, today: o }, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const get = (m: Month) => by.get(m.key) ?? { on_time: 0, late: 0, overdue: 0, open: 0 };
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
});

const RULE_NAMES: Record<string, string> = {
  balance_over_contingency: 'Money building up beyond the contingency',
  unexplained_spending: 'Money out that is not explained',
  no_statements: 'No recent statements',
  unregistered_payee: 'Regular payments to someone not on a payroll',
  previous_concern: 'A concern raised before',
};

const monitoringFlags = dashboard({
  slug: 'monitoring-flags',
  title: 'Monitoring flags today',
  question: 'Which monitoring checks are flagging direct payments today?',
  uses: 'today',
  render({ available, counts, people }) {
    if (!available) {
      return { summary: [], chart: null, table: { caption: '', head: [], rows: [], numeric: [] }, csv: { head: [], rows: [] }, unavailable: 'Monitoring flags are not available yet: the monitoring checks are not set up in this service.' };
    }
    const seen = [...new Set([...counts.keys()].map((k) => k.split('|')[0]!))].filter((r) => !(r in RULE_NAMES)).sort();
    const rules = [...Object.keys(RULE_NAMES), ...seen];
    const count = (rule: string, level: string) => counts.get(flagKey(rule, level)) ?? 0;
    let total = 0;
    let high = 0;
    for (const [k, v] of counts) { total += v; if (k.endsWith('|high')) high += v; }
    const summary = [`${n(total)} flag${total === 1 ? '' : 's'} today on the direct payments of ${n(people)} ${people === 1 ? 'person' : 'people'}: ${n(high)} high and ${n(total - high)} medium.`];
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
});

const timeToFirstPayment = dashboard({
  slug: 'time-to-first-payment',
  title: 'Days from the first conversation to the first payment',
  question: 'How long do people wait from their first conversation to their first payment?',
  uses: 'period',
  render({ months: by, overall }, ctx) {
    const months = monthsBetween(ctx.period.from, ctx.period.to);
    const stats = months.map((m) => { const r = by.get(m.key); return { count: r?.n ?? 0, median: r?.median ?? null, p90: r?.p90 ?? null }; });
    const all = { length: overall.n };
    const { median, p90 } = overall;
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
});

/** The survey's questions in order: the three with fixed answers, then the optional comment (written or left blank). */
const FEEDBACK_QUESTIONS: Array<{ question: Question | 'better'; answers: readonly string[] }> = [
  ...(Object.keys(QUESTIONS) as Question[]).map((question) => ({ question, answers: QUESTIONS[question] })),
  { question: 'better', answers: ['wrote', 'blank'] },
];
const en = (key: string) => translator('en')(key);
const questionText = (q: Question | 'better') => (q === 'better' ? 'What could we do better?' : en(`feedback:q.${q}.summary`));
const answerText = (q: Question | 'better', a: string) => (q === 'better' ? (a === 'wrote' ? 'Wrote something' : 'Left it blank') : en(`feedback:q.${q}.${a}`));

/** Calendar quarters (Jan–Mar, Apr–Jun, …) of the period's months; one at either end may be part of a quarter. */
function quartersOf(months: Month[]): Array<{ label: string; from: string; to: string; months: Month[] }> {
  const out: Array<{ label: string; from: string; to: string; months: Month[] }> = [];
  for (const m of months) {
    const q = `${m.key.slice(0, 4)}-${Math.floor((Number(m.key.slice(5, 7)) - 1) / 3)}`;
    const last = out.at(-1);
    if (last && `${last.from.slice(0, 4)}-${Math.floor((Number(last.from.slice(5, 7)) - 1) / 3)}` === q) { last.months.push(m); last.to = m.key; }
    else out.push({ label: '', from: m.key, to: m.key, months: [m] });
  }
  for (const q of out) q.label = q.from === q.to ? monthLabel(q.from) : `${monthLabel(q.from).slice(0, 3)} to ${monthLabel(q.to)}`;
  return out;
}

const feedbackResults = dashboard({
  slug: 'feedback',
  title: 'What people told us',
  question: 'What did people say in the 4-question feedback survey after their first payment and after each review, quarter by quarter?',
  uses: 'period',
  render(counts, ctx) {
    const quarters = quartersOf(monthsBetween(ctx.period.from, ctx.period.to));
    const count = (months: Month[], q: string, a: string) => months.reduce((t, m) => t + (counts.get(feedbackKey(m.key, q, a)) ?? 0), 0);
    // Every answer has all four questions (the fourth written or blank), so the first question's answers are the total.
    const total = (months: Month[]) => QUESTIONS.helps.reduce((t, a) => t + count(months, 'helps', a), 0);
    const share = (part: number, of: number) => (of === 0 ? null : Math.round((part / of) * 1000) / 10);
    const good = (months: Month[], q: Question) => POSITIVE[q].reduce((t, a) => t + count(months, q, a), 0);
    const all = quarters.flatMap((q) => q.months);
    const answered = total(all);
    const period = /^(The|This|Last) /.test(ctx.period.label) ? ctx.period.label[0]!.toLowerCase() + ctx.period.label.slice(1) : ctx.period.label;
    const summary = answered === 0
      ? [`Nobody answered the feedback survey in ${period}.`]
      : [`${n(answered)} ${answered === 1 ? 'answer' : 'answers'} to the feedback survey in ${period}: ${pct(share(good(all, 'helps'), answered))} said the direct payment is helping, ${pct(share(good(all, 'easy'), answered))} found it easy to manage, and ${pct(share(good(all, 'listened'), answered))} said we listened to what matters; ${n(count(all, 'better', 'wrote'))} wrote what we could do better.`];
    const rows = quarters.flatMap((q) => {
      const of = total(q.months);
      return FEEDBACK_QUESTIONS.flatMap(({ question, answers }) => answers.map((a) => ({ q, question, a, c: count(q.months, question, a), s: share(count(q.months, question, a), of) })));
    });
    return {
      summary,
      chart: lineChart({ id: 'chart-feedback', title: this.title, description: `${summary[0]} The chart shows, for each quarter, the share of answers that were good to each of the first three questions and the share with a comment.`,
        labels: quarters.map((q) => q.label), format: (v) => `${v}%`, series: [
          { name: 'Helping (a lot or a little)', values: quarters.map((q) => share(good(q.months, 'helps'), total(q.months))) },
          { name: 'Easy to manage (very or fairly)', values: quarters.map((q) => share(good(q.months, 'easy'), total(q.months))) },
          { name: 'We listened (yes or mostly)', values: quarters.map((q) => share(good(q.months, 'listened'), total(q.months))) },
          { name: 'Wrote what we could do better', values: quarters.map((q) => share(count(q.months, 'better', 'wrote'), total(q.months))) },
        ] }),
      table: { caption: 'Answers to each question by quarter, with the share of that quarter’s answers', head: ['Quarter', 'Question', 'Answer', 'Answers', 'Share'], numeric: [false, false, false, true, true],
        rows: rows.map((r) => [r.q.label, questionText(r.question), answerText(r.question, r.a), n(r.c), pct(r.s)]) },
      wide: true,
      csv: { head: ['quarter_from', 'quarter_to', 'question', 'answer', 'answers', 'share_percent'],
        rows: rows.map((r) => [r.q.from, r.q.to, r.question, r.a, r.c, r.s ?? '']) },
    };
  },
});

export const DASHBOARDS: Dashboard[] = [peopleOnDirectPayments, communityShare, spendAgainstBudget, oneOffPayments, reviewsDue, monitoringFlags, timeToFirstPayment, feedbackResults];

export function dashboardBySlug(slug: string): Dashboard | undefined {
  return DASHBOARDS.find((d) => d.slug === slug);
}

export { monthLabel };
