import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { londonDate } from '../../platform/services.ts';
import { addMonths, type CalendarDate } from '../../domain/dates.ts';
import {
  BUSINESS_WORDS, PAYEE_WINDOW_MONTHS, UNEXPLAINED_WINDOW_MONTHS, evaluate, levelOf, rulesFrom,
  type Facts, type Flag, type Level, type RuleSettings,
} from '../../domain/monitoring.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Direct payments that are monitored: money is flowing (or paused). */
export const MONITORED_STATUSES = ['active', 'suspended'] as const;

export async function rulesFor(db: Db, councilId: string): Promise<RuleSettings> {
  const rows = await db.selectFrom('monitoring_rules').select(['rule', 'enabled', 'threshold', 'level']).where('council_id', '=', councilId).execute();
  return rulesFrom(rows);
}

export async function contingencyWeeksFor(db: Db, councilId: string): Promise<number> {
  const row = await db.selectFrom('council_payment_settings').select('contingency_weeks').where('council_id', '=', councilId).executeTakeFirst();
  return row?.contingency_weeks ?? 8;
}

type FactsRow = {
  id: string;
  council_id: string;
  person_id: string;
  reference: string;
  person_name: string;
  kind: 'one_off' | 'ongoing';
  weekly_net: number;
  contingency_weeks: number;
  paid_in: number;
  recorded_spending: number;
  statement_out: number;
  linked_spending: number;
  committed: number;
  unexplained: number;
  unexplained_lines: number;
  last_statement_on: string | null;
  first_paid_on: string | null;
  payees: Array<{ name: string; payments: number; months: number; totalPence: number }>;
  concerns: Array<{ on: string; text: string }> | null;
};

/**
 * The facts for every monitored direct payment in scope, in one set-based statement: the money
 * held (ledger), spent (records and statements), committed, the contingency, unexplained money
 * out, the latest statement, regular payees without payroll, and recent concerns.
 */
export function factsQuery(scope: { councilId: string } | { directPaymentId: string }, rules: RuleSettings, today: CalendarDate, statuses: readonly string[] = MONITORED_STATUSES) {
  const where = 'councilId' in scope ? sql`d.council_id = ${scope.councilId}` : sql`d.id = ${scope.directPaymentId}`;
  const unexplainedFrom = addMonths(today, -UNEXPLAINED_WINDOW_MONTHS);
  const payeesFrom = addMonths(today, -PAYEE_WINDOW_MONTHS);
  const concernsFrom = addMonths(today, -Math.max(rules.previous_concern.threshold, 1));
  const minMonths = rules.unregistered_payee.threshold;

  // Statements, read twice: once for the money (what went out, what is unexplained, what spending
  // records the lines are matched to), once for regular payees. Payees are first grouped by their
  // name ignoring case, and only names paid in enough different months go on to be normalised,
  // checked for business words and against the personal assistants on payroll.
  const statementCtes = sql`,
    st as (
      select sl.direct_payment_id,
        -coalesce(sum(sl.amount_pence) filter (where sl.amount_pence < 0), 0) as out_all,
        -coalesce(sum(sl.amount_pence) filter (where sl.amount_pence < 0 and sl.match_kind is null and sl.posted_on > ${unexplainedFrom}::date), 0) as unexplained,
        count(*) filter (where sl.amount_pence < 0 and sl.match_kind is null and sl.posted_on > ${unexplainedFrom}::date) as unexplained_lines,
        max(sl.posted_on) as last_on,
        coalesce(sum(sr.amount_pence), 0) as linked
      from statement_lines sl join dp on dp.id = sl.direct_payment_id
        left join spending_records sr on sr.id = sl.spending_record_id
      group by sl.direct_payment_id
    ),
    payee_names as materialized (
      select sl.direct_payment_id, lower(coalesce(nullif(sl.counterparty, ''), sl.description)) as lname,
        min(coalesce(nullif(sl.counterparty, ''), sl.description)) as name, count(*)::int as payments,
        count(distinct date_trunc('month', sl.posted_on))::int as months, sum(-sl.amount_pence)::bigint as total
      from statement_lines sl join dp on dp.id = sl.direct_payment_id
      where sl.amount_pence < 0 and sl.posted_on > ${payeesFrom}::date
      group by sl.direct_payment_id, lower(coalesce(nullif(sl.counterparty, ''), sl.description))
      having count(distinct date_trunc('month', sl.posted_on)) >= ${minMonths}
    ),
    payee_keys as (
      select direct_payment_id, ' ' || trim(regexp_replace(lname, '[^a-z]+', ' ', 'g')) || ' ' as key, name, payments, months, total
      from payee_names
    ),
    payee_groups as (
      select direct_payment_id, key, min(name) as name, sum(payments)::int as payments, max(months)::int as months, sum(total)::bigint as total
      from payee_keys
      where not (string_to_array(trim(key), ' ') && ${BUSINESS_WORDS}::text[])
      group by direct_payment_id, key
    ),
    payees as (
      select g.direct_payment_id, json_agg(json_build_object('name', g.name, 'payments', g.payments, 'months', g.months, 'totalPence', g.total) order by g.total desc) as list
      from payee_groups g
      where not exists (
        select 1 from (
          select ' ' || trim(regexp_replace(lower(pa.name), '[^a-z]+', ' ', 'g')) || ' ' as pkey, pa.payroll
          from personal_assistants pa where pa.direct_payment_id = g.direct_payment_id
        ) a
        where a.payroll <> 'none'
          and g.key like '% ' || split_part(trim(a.pkey), ' ', array_length(string_to_array(trim(a.pkey), ' '), 1)) || ' %'
          and (array_length(string_to_array(trim(a.pkey), ' '), 1) = 1
               or g.key like '% ' || split_part(trim(a.pkey), ' ', 1) || ' %'
               or g.key like '% ' || left(trim(a.pkey), 1) || ' %')
      )
      group by g.direct_payment_id
    )`;

  return sql<FactsRow>`
    with dp as (
      select d.id, d.council_id, d.person_id, d.reference, d.kind,
        p.given_name || ' ' || p.family_name as person_name,
        coalesce(cps.contingency_weeks, 8) as contingency_weeks,
        case when d.kind = 'ongoing' then greatest(
          coalesce(r.weekly_amount_pence, s.weekly_amount_pence, d.weekly_amount_pence, 0)
          - case when coalesce(s.contributions, 'net') = 'net' then coalesce(r.weekly_contribution_pence, s.weekly_contribution_pence, d.weekly_contribution_pence, 0) else 0 end,
          0) else 0 end as weekly_net
      from direct_payments d
        join people p on p.id = d.person_id
        left join council_payment_settings cps on cps.council_id = d.council_id
        left join payment_schedules s on s.direct_payment_id = d.id
        left join lateral (
          select weekly_amount_pence, weekly_contribution_pence from payment_schedule_rates
          where schedule_id = s.id and effective_from <= ${today}::date order by effective_from desc limit 1
        ) r on true
      where ${where} and d.status = any(${[...statuses]}::text[])
    ),
    held as (
      select a.direct_payment_id, sum(lp.amount_pence) as paid_in
      from ledger_accounts a join dp on dp.id = a.direct_payment_id join ledger_postings lp on lp.account_id = a.id
      where a.kind = 'direct_payment'
      group by a.direct_payment_id
    ),
    spent as (
      select sr.direct_payment_id, sum(sr.amount_pence) as total
      from spending_records sr join dp on dp.id = sr.direct_payment_id group by sr.direct_payment_id
    ),
    first_paid as (
      select pm.direct_payment_id, min(pm.period_starts_on) as first_on
      from payments pm join dp on dp.id = pm.direct_payment_id where pm.status = 'paid' group by pm.direct_payment_id
    ),
    committed as (
      select distinct on (mc.direct_payment_id) mc.direct_payment_id, mc.amount_pence
      from monitoring_commitments mc join dp on dp.id = mc.direct_payment_id
      order by mc.direct_payment_id, mc.created_at desc, mc.id
    ),
    concerns as (
      select mc.direct_payment_id, json_agg(json_build_object('on', mc.recorded_on, 'text', mc.concern) order by mc.recorded_on desc) as list
      from monitoring_concerns mc join dp on dp.id = mc.direct_payment_id
      where mc.recorded_on >= ${concernsFrom}::date
      group by mc.direct_payment_id
    )${statementCtes}
    select dp.id, dp.council_id, dp.person_id, dp.reference, dp.person_name, dp.kind,
      dp.weekly_net::bigint as weekly_net, dp.contingency_weeks,
      coalesce(held.paid_in, 0)::bigint as paid_in,
      coalesce(spent.total, 0)::bigint as recorded_spending,
      coalesce(st.out_all, 0)::bigint as statement_out,
      coalesce(st.linked, 0)::bigint as linked_spending,
      coalesce(committed.amount_pence, 0)::bigint as committed,
      coalesce(st.unexplained, 0)::bigint as unexplained,
      coalesce(st.unexplained_lines, 0)::int as unexplained_lines,
      to_char(st.last_on, 'YYYY-MM-DD') as last_statement_on,
      to_char(first_paid.first_on, 'YYYY-MM-DD') as first_paid_on,
      coalesce(payees.list, '[]'::json) as payees,
      concerns.list as concerns
    from dp
      left join held on held.direct_payment_id = dp.id
      left join spent on spent.direct_payment_id = dp.id
      left join first_paid on first_paid.direct_payment_id = dp.id
      left join committed on committed.direct_payment_id = dp.id
      left join concerns on concerns.direct_payment_id = dp.id
      left join st on st.direct_payment_id = dp.id
      left join payees on payees.direct_payment_id = dp.id
    order by dp.person_name, dp.reference`;
}

async function factsRows(db: Db, scope: { councilId: string } | { directPaymentId: string }, rules: RuleSettings, today: CalendarDate, statuses: readonly string[] = MONITORED_STATUSES): Promise<FactsRow[]> {
  const result = await factsQuery(scope, rules, today, statuses).execute(db);
  return result.rows.map((r) => ({
    ...r,
    weekly_net: Number(r.weekly_net),
    paid_in: Number(r.paid_in),
    recorded_spending: Number(r.recorded_spending),
    statement_out: Number(r.statement_out),
    linked_spending: Number(r.linked_spending),
    committed: Number(r.committed),
    unexplained: Number(r.unexplained),
  }));
}

function factsOf(r: FactsRow): Facts {
  // Money out: every line the bank shows going out, and what the person recorded that no statement
  // line is matched to (cash, or spending before the statements start).
  const spent = r.statement_out + r.recorded_spending - r.linked_spending;
  return {
    directPaymentId: r.id,
    kind: r.kind,
    balancePence: r.paid_in - spent,
    weeklyNetPence: r.weekly_net,
    contingencyWeeks: r.contingency_weeks,
    committedPence: r.committed,
    unexplained: { pence: r.unexplained, lines: r.unexplained_lines },
    lastStatementOn: r.last_statement_on,
    firstPaidOn: r.first_paid_on,
    regularPayees: r.payees.map((p) => ({ ...p, totalPence: Number(p.totalPence) })),
    concerns: (r.concerns ?? []).map((c) => ({ on: String(c.on).slice(0, 10), text: c.text })),
  };
}

export type CouncilFlag = Flag & { directPaymentId: string; reference: string; personId: string; personName: string };
export type WorklistEntry = { directPaymentId: string; reference: string; personId: string; personName: string; level: Level; flags: Flag[] };

const todayNow = () => londonDate(new Date());

/** Every flag on the council's monitored direct payments today (a flat list: dashboards count them). */
export async function currentFlags(db: Db, councilId: string, opts: { today?: CalendarDate } = {}): Promise<CouncilFlag[]> {
  return (await worklist(db, councilId, opts)).flatMap((e) =>
    e.flags.map((f) => ({ ...f, directPaymentId: e.directPaymentId, reference: e.reference, personId: e.personId, personName: e.personName })),
  );
}

/**
 * Every rule over every monitored direct payment of the council, live: the flagged ones (in the
 * facts query's order, by name) and how many were looked at. The stored snapshot is made from this.
 */
export async function evaluateCouncil(db: Db, councilId: string, today: CalendarDate): Promise<{ monitored: number; entries: WorklistEntry[] }> {
  const rules = await rulesFor(db, councilId);
  const rows = await factsRows(db, { councilId }, rules, today);
  const entries: WorklistEntry[] = [];
  for (const r of rows) {
    const flags = evaluate(factsOf(r), rules, today);
    if (flags.length) entries.push({ directPaymentId: r.id, reference: r.reference, personId: r.person_id, personName: r.person_name, level: levelOf(flags), flags });
  }
  return { monitored: rows.length, entries };
}

const LEVEL_RANK = { high: 0, medium: 1, low: 2 } as const;

/** Most serious first; within a level, as given (by name, then reference). */
export const bySeverity = (entries: WorklistEntry[]) => entries.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level]);

/**
 * Only the flagged direct payments, most serious first, each with its reasons and evidence,
 * worked out live (seconds for a national caseload: pages read the stored snapshot instead,
 * `storedWorklist` in snapshot.ts).
 */
export async function worklist(db: Db, councilId: string, opts: { today?: CalendarDate } = {}): Promise<WorklistEntry[]> {
  const { entries } = await evaluateCouncil(db, councilId, opts.today ?? todayNow());
  return bySeverity(entries);
}

/** How many of the council's monitored direct payments there are, and how many are flagged. */
export async function monitoringCounts(db: Db, councilId: string, opts: { today?: CalendarDate } = {}) {
  const list = await worklist(db, councilId, opts);
  const monitored = await db.selectFrom('direct_payments').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('council_id', '=', councilId).where('status', 'in', [...MONITORED_STATUSES]).executeTakeFirstOrThrow();
  return { monitored: Number(monitored.n), flagged: list.length, high: list.filter((e) => e.level === 'high').length };
}

/** One direct payment's flags today, with the facts they came from. */
export async function monitoringFor(db: Db, directPaymentId: string, opts: { today?: CalendarDate; statuses?: readonly string[] } = {}) {
  const today = opts.today ?? todayNow();
  const dp = await db.selectFrom('direct_payments').select('council_id').where('id', '=', directPaymentId).executeTakeFirst();
  if (!dp) return null;
  const rules = await rulesFor(db, dp.council_id);
  const [row] = await factsRows(db, { directPaymentId }, rules, today, opts.statuses);
  if (!row) return { facts: null, flags: [] as Flag[], level: 'low' as Level, rules, spent: null };
  const facts = factsOf(row);
  const flags = evaluate(facts, rules, today);
  return { facts, flags, level: levelOf(flags), rules, spent: { recordedPence: row.recorded_spending, statementOutPence: row.statement_out, linkedPence: row.linked_spending, paidInPence: row.paid_in } };
}

/** The contract: one direct payment's current flags, `{ rule, level, reason, evidence }[]`. */
export async function flagsFor(db: Db, directPaymentId: string, opts: { today?: CalendarDate } = {}): Promise<Flag[]> {
  return (await monitoringFor(db, directPaymentId, opts))?.flags ?? [];
}

/** The money out behind an unexplained-spending flag: the unmatched lines, newest first. */
export async function unexplainedLines(db: Db, directPaymentId: string, today: CalendarDate, limit = 20) {
  const r = await sql<{ posted_on: string; amount_pence: number; description: string; counterparty: string | null }>`
    select to_char(posted_on, 'YYYY-MM-DD') as posted_on, (-amount_pence)::bigint as amount_pence, description, counterparty
    from statement_lines
    where direct_payment_id = ${directPaymentId} and amount_pence < 0 and match_kind is null and posted_on > ${addMonths(today, -UNEXPLAINED_WINDOW_MONTHS)}::date
    order by posted_on desc, amount_pence limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, amount_pence: Number(x.amount_pence) }));
}

/** Concerns recorded on a direct payment, newest first. */
export async function concernsFor(db: Db, directPaymentId: string) {
  return db
    .selectFrom('monitoring_concerns')
    .innerJoin('users', 'users.id', 'monitoring_concerns.recorded_by')
    .select(['monitoring_concerns.id', 'monitoring_concerns.recorded_on', 'monitoring_concerns.concern', 'users.display_name as recorded_by_name'])
    .where('monitoring_concerns.direct_payment_id', '=', directPaymentId)
    .orderBy('monitoring_concerns.recorded_on', 'desc')
    .orderBy('monitoring_concerns.created_at', 'desc')
    .execute();
}

/** The latest "committed for" amount a practitioner recorded, if any. */
export async function recordedCommitment(db: Db, directPaymentId: string) {
  return (
    (await db
      .selectFrom('monitoring_commitments')
      .select(['amount_pence', 'committed_for', 'recorded_on'])
      .where('direct_payment_id', '=', directPaymentId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .executeTakeFirst()) ?? null
  );
}
