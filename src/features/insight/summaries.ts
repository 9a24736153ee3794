import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays, addMonths } from '../../domain/dates.ts';
import { financialYear } from '../../domain/charts/periods.ts';
import { feedbackKey, flagKey, nonZero, type Db, type FigureSource, type InsightContext, type OneOffMonth, type ReviewMonth, type WaitStats } from './figures.ts';

// The summary tables (migration 1610) behind the insight pages. refreshSummaries works out one
// council's figures from the records, grouped by team and month instead of filtered, and replaces
// that council's rows in one transaction; the readers below answer each page, with any of its
// filters, in one small query over those rows. live.ts is the definition they must agree with.
//
// Twice at once: a session advisory lock per council is taken *before* the transaction (so its
// snapshot sees any refresh that finished while it waited); a second refresh finds the lock held
// and either skips (the job, "Refresh figures now") or waits for the first and uses its figures (a
// page opened before any figures exist). The transaction is REPEATABLE READ, so every table is
// worked out from the same moment.

const LOCK_CLASS = 1610; // the advisory lock's first key; the second is the council's

export type SummaryStatus = { asAtDate: string; refreshedAt: Date; tookMs: number; flagsAvailable: boolean; flagsEvaluatedAt: Date | null };

export async function summaryStatus(db: Db, councilId: string): Promise<SummaryStatus | null> {
  const row = await db.selectFrom('insight_refreshes').selectAll().where('council_id', '=', councilId).executeTakeFirst();
  return row ? { asAtDate: row.as_at_date, refreshedAt: new Date(row.refreshed_at), tookMs: row.took_ms, flagsAvailable: row.flags_available, flagsEvaluatedAt: row.flags_evaluated_at ? new Date(row.flags_evaluated_at) : null } : null;
}

export type RefreshOutcome = { refreshed: true; ms: number; steps: Record<string, number> } | { refreshed: false; reason: 'busy' | 'fresh' };

/**
 * Works out one council's figures as at `today` and replaces its summary rows, unless another
 * refresh of the same council is running: then `ifBusy: 'skip'` returns at once and `'wait'` waits
 * for it and refreshes only if there are still no figures afterwards.
 */
export async function refreshSummaries(
  db: Kysely<DB>,
  councilId: string,
  opts: { today: string; now: Date; ifBusy?: 'skip' | 'wait' },
): Promise<RefreshOutcome> {
  return db.connection().execute(async (conn) => {
    const lockKey = sql`${LOCK_CLASS}::int, hashtext(${councilId}::text)`;
    if (opts.ifBusy === 'wait') {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${lockKey}) as ok`.execute(conn);
      if (!got.rows[0]!.ok) {
        await sql`select pg_advisory_lock(${lockKey})`.execute(conn);
        // Someone else was refreshing: use theirs if they succeeded.
        if (await summaryStatus(conn, councilId)) {
          await sql`select pg_advisory_unlock(${lockKey})`.execute(conn);
          return { refreshed: false, reason: 'fresh' } as const;
        }
      }
    } else {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${lockKey}) as ok`.execute(conn);
      if (!got.rows[0]!.ok) return { refreshed: false, reason: 'busy' } as const;
    }
    try {
      const started = performance.now();
      await ensureMonitoringSnapshot(db, councilId, opts.today);
      const steps: Record<string, number> = {};
      await conn.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
        const { flagsAvailable, flagsEvaluatedAt } = await writeSummaries(trx, councilId, opts.today, steps);
        await trx.insertInto('insight_refreshes')
          .values({ council_id: councilId, as_at_date: opts.today, refreshed_at: opts.now, took_ms: Math.round(performance.now() - started), flags_available: flagsAvailable, flags_evaluated_at: flagsEvaluatedAt })
          .onConflict((oc) => oc.column('council_id').doUpdateSet((eb) => ({
            as_at_date: eb.ref('excluded.as_at_date'), refreshed_at: eb.ref('excluded.refreshed_at'), took_ms: eb.ref('excluded.took_ms'), flags_available: eb.ref('excluded.flags_available'), flags_evaluated_at: eb.ref('excluded.flags_evaluated_at'),
          })))
          .execute();
      });
      return { refreshed: true, ms: performance.now() - started, steps } as const;
    } finally {
      await sql`select pg_advisory_unlock(${lockKey})`.execute(conn);
    }
  });
}

const TABLES = ['insight_support_months', 'insight_spend_months', 'insight_one_off_months', 'insight_review_months', 'insight_first_payment_waits', 'insight_team_today', 'insight_flag_counts', 'insight_feedback_months', 'insight_community_people_months'] as const;

/** Replaces the council's summary rows; says whether monitoring flags were there to count. */
async function writeSummaries(trx: Db, c: string, today: string, steps: Record<string, number>): Promise<{ flagsAvailable: boolean; flagsEvaluatedAt: Date | null }> {
  // Whole-council aggregates: hash joins, never a nested loop (fresh data may have no statistics yet).
  await sql`set local enable_nestloop = off`.execute(trx);
  let t = performance.now();
  const step = (name: string) => { const now = performance.now(); steps[name] = Math.round(now - t); t = now; };
  for (const table of TABLES) await trx.deleteFrom(table).where('council_id', '=', c).execute();
  step('delete');

  // Ongoing direct payments (what live.ts startsAndEnds counts). (Rows with delivery 'council_arranged',
  // services the council arranges, were for the community support share, which now counts people below.)
  await sql`
    insert into insight_support_months (council_id, team_id, delivery, person_kind, month, started, stopped)
    with x as (
      select p.team_id, p.kind, coalesce(d.starts_on, d.first_payment_on) as s,
        case when d.status = 'ended' then coalesce(d.ends_on, d.updated_at::date) else d.ends_on end as e
      from direct_payments d join people p on p.id = d.person_id
      where d.council_id = ${c} and d.kind = 'ongoing' and d.status in ('active', 'suspended', 'ended')
        and coalesce(d.starts_on, d.first_payment_on) is not null
    ), ev as (
      select team_id, kind, to_char(s, 'YYYY-MM') as mon, 1 as st, 0 as sp from x
      union all
      select team_id, kind, to_char(e + 1, 'YYYY-MM'), 0, 1 from x where e is not null
    )
    select ${c}::uuid, team_id, 'direct_payment', kind, mon, sum(st), sum(sp) from ev group by team_id, kind, mon`.execute(trx);
  step('support_dp');

  // People with long-term community support as ASCOF 3D counts them (live.ts is the definition):
  // each person's spells of such support (any, and as a direct payment) cut to the days they are an
  // adult and alive, merged where they overlap or touch, then started and stopped by month. A person
  // turns 18 on their 18th birthday (29 February: on 1 March, as domain/dates.ts ageOn has it).
  await sql`
    insert into insight_community_people_months (council_id, team_id, measure, month, started, stopped)
    with svc as (
      select d.person_id, true as dp, coalesce(d.starts_on, d.first_payment_on) as s, coalesce(d.ends_on, 'infinity'::date) as e
      from direct_payments d
      where d.council_id = ${c} and d.status in ('active', 'suspended', 'ended') and d.cld_service_type = 'Long term support: Community'
        and coalesce(d.starts_on, d.first_payment_on) is not null
      union all
      select c.person_id, false, c.agreed_on, case when c.status = 'replaced' then c.updated_at::date else 'infinity'::date end
      from plan_items i join care_plans c on c.id = i.plan_id join people p on p.id = c.person_id
      where p.council_id = ${c} and c.kind = 'ongoing' and c.status in ('agreed', 'replaced') and i.met_by = 'council_service' and i.cost_frequency = 'weekly'
        and i.cost_pence > 0 and c.agreed_on is not null
    ), cut as (
      select p.id as person_id, p.team_id, m.measure,
        greatest(svc.s, (p.date_of_birth + interval '18 years')::date + case when to_char(p.date_of_birth, 'MM-DD') = '02-29' then 1 else 0 end) as s,
        least(svc.e, coalesce(p.date_of_death - 1, 'infinity'::date)) as e
      from svc join people p on p.id = svc.person_id
      cross join lateral (select 'any' as measure union all select 'dp' where svc.dp) m
      where p.council_id = ${c} and p.kind = 'adult'
    ), ordered as (
      select person_id, team_id, measure, s, e,
        max(e) over (partition by person_id, measure order by s, e rows between unbounded preceding and 1 preceding) as before
      from cut where s <= e
    ), islands as (
      select person_id, team_id, measure, s, e, sum(case when before is null or s > before then 1 else 0 end) over (partition by person_id, measure order by s, e) as island
      from ordered
    ), spells as (
      select team_id, measure, min(s) as s, max(e) as e from islands group by person_id, team_id, measure, island
    ), ev as (
      select team_id, measure, to_char(s, 'YYYY-MM') as mon, 1 as st, 0 as sp from spells
      union all
      select team_id, measure, to_char(e + 1, 'YYYY-MM'), 0, 1 from spells where e <> 'infinity'::date
    )
    select ${c}::uuid, team_id, measure, mon, sum(st), sum(sp) from ev group by team_id, measure, mon`.execute(trx);
  step('community_people');

  await sql`
    insert into insight_spend_months (council_id, team_id, month, paid_pence)
    select ${c}::uuid, p.team_id, to_char(pm.due_on, 'YYYY-MM'), sum(pm.amount_pence)
    from payments pm join direct_payments d on d.id = pm.direct_payment_id join people p on p.id = d.person_id
    where d.council_id = ${c} and pm.status = 'paid'
    group by 2, 3`.execute(trx);
  step('spend');

  await sql`
    insert into insight_one_off_months (council_id, team_id, month, after_as_at, payments, paid_pence, met, partly, not_met, waiting, avoided_pence)
    with one_off as (
      select d.id, p.team_id, coalesce(d.starts_on, d.first_payment_on) as s, d.amount_pence
      from direct_payments d join people p on p.id = d.person_id
      where d.council_id = ${c} and d.kind = 'one_off' and d.status in ('active', 'suspended', 'ended')
        and coalesce(d.starts_on, d.first_payment_on) is not null
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
    select ${c}::uuid, o.team_id, to_char(o.s, 'YYYY-MM'), o.s > ${today}::date, count(*), coalesce(sum(o.amount_pence), 0),
      count(*) filter (where ch.outcomes_met = 'met'), count(*) filter (where ch.outcomes_met = 'partly'),
      count(*) filter (where ch.outcomes_met = 'not_met'), count(*) filter (where ch.outcomes_met is null), coalesce(sum(a.pence), 0)
    from one_off o left join checked ch on ch.direct_payment_id = o.id left join avoided a on a.direct_payment_id = o.id
    group by 2, 3, 4`.execute(trx);
  step('one_off');

  await sql`
    insert into insight_review_months (council_id, team_id, month, after_as_at, on_time, late, overdue, not_due)
    select ${c}::uuid, p.team_id, to_char(r.due_on, 'YYYY-MM'), r.due_on > ${today}::date,
      count(*) filter (where r.completed_on is not null and r.completed_on <= r.due_on),
      count(*) filter (where r.completed_on is not null and r.completed_on > r.due_on),
      count(*) filter (where r.completed_on is null and r.due_on < ${today}::date),
      count(*) filter (where r.completed_on is null and r.due_on >= ${today}::date)
    from reviews r join direct_payments d on d.id = r.direct_payment_id join people p on p.id = d.person_id
    where d.council_id = ${c}
    group by 2, 3, 4`.execute(trx);
  step('reviews');

  await sql`
    insert into insight_first_payment_waits (council_id, team_id, month, after_as_at, days, people)
    with w as (
      select p.team_id, d.first_payment_on as fp,
        d.first_payment_on - (select min(v.held_on) from conversations v where v.person_id = d.person_id) as days
      from direct_payments d join people p on p.id = d.person_id
      where d.council_id = ${c} and d.status in ('active', 'suspended', 'ended') and d.first_payment_on is not null
    )
    select ${c}::uuid, team_id, to_char(fp, 'YYYY-MM'), fp > ${today}::date, days, count(*)
    from w where days is not null group by 2, 3, 4, 5`.execute(trx);
  step('waits');

  // The feedback survey's answers (migration 1650), by the team of the person the direct payment is for.
  await sql`
    insert into insight_feedback_months (council_id, team_id, month, after_as_at, question, answer, answers)
    with r as (
      select p.team_id, (f.created_at at time zone 'Europe/London')::date as on_day, f.helps, f.easy, f.listened,
        case when f.better is null then 'blank' else 'wrote' end as better
      from feedback_responses f join direct_payments d on d.id = f.direct_payment_id join people p on p.id = d.person_id
      where f.council_id = ${c}
    )
    select ${c}::uuid, r.team_id, to_char(r.on_day, 'YYYY-MM'), r.on_day > ${today}::date, q.question, q.answer, count(*)
    from r cross join lateral (values ('helps', r.helps), ('easy', r.easy), ('listened', r.listened), ('better', r.better)) as q(question, answer)
    group by 2, 3, 4, 5, 6`.execute(trx);
  step('feedback');

  // Today's figures per team: reviews overdue and coming up, and the people monitoring flags.
  const reviewsToday = await sql<{ team_id: string | null; overdue: number; oldest: string | null; next_month: number }>`
    select p.team_id, count(*) filter (where r.due_on < ${today}::date)::int as overdue, min(r.due_on) filter (where r.due_on < ${today}::date) as oldest,
      count(*) filter (where r.due_on between ${today}::date and (${today}::date + 30))::int as next_month
    from reviews r join direct_payments d on d.id = r.direct_payment_id join people p on p.id = d.person_id
    where d.council_id = ${c} and r.completed_on is null and d.status in ('active', 'suspended', 'agreed', 'ended')
    group by 1`.execute(trx);
  step('reviews_today');
  const flags = await flagsByTeam(trx, c);
  step('flags');
  const teams = new Map<string | null, { overdue: number; oldest: string | null; next_month: number; people: number }>();
  const teamRow = (t: string | null) => teams.get(t) ?? teams.set(t, { overdue: 0, oldest: null, next_month: 0, people: 0 }).get(t)!;
  for (const r of reviewsToday.rows) Object.assign(teamRow(r.team_id), { overdue: r.overdue, oldest: r.oldest, next_month: r.next_month });
  for (const [t, people] of flags?.people ?? []) teamRow(t).people = people;
  if (teams.size) {
    await trx.insertInto('insight_team_today').values([...teams].map(([t, r]) => ({
      council_id: c, team_id: t, reviews_overdue: r.overdue, oldest_overdue_due_on: r.oldest, reviews_due_next_30_days: r.next_month, flagged_people: r.people,
    }))).execute();
  }
  if (flags?.counts.length) await trx.insertInto('insight_flag_counts').values(flags.counts.map((f) => ({ council_id: c, ...f }))).execute();
  step('write_today');
  return { flagsAvailable: flags !== null, flagsEvaluatedAt: flags?.evaluatedAt ?? null };
}

/**
 * Monitoring flags counted by team, check and level, and the people flagged per team, from the
 * flags features/monitoring stores (`monitoring_flags`, kept by its job monitoring.refresh-flags;
 * snapshot.ts) on direct payments still monitored. Null when monitoring is not in this service.
 */
async function flagsByTeam(trx: Db, councilId: string) {
  const there = await sql<{ ok: boolean }>`select to_regclass('monitoring_flags') is not null and to_regclass('monitoring_snapshots') is not null as ok`.execute(trx);
  if (!there.rows[0]!.ok) return null;
  const monitored = sql`d.status in ('active', 'suspended')`;
  const [counts, people, snapshot] = await Promise.all([
    sql<{ team_id: string | null; rule: string; level: string; flags: number }>`
      select p.team_id, f.rule, f.level, count(*)::int as flags
      from monitoring_flags f join direct_payments d on d.id = f.direct_payment_id join people p on p.id = d.person_id
      where f.council_id = ${councilId} and ${monitored}
      group by 1, 2, 3`.execute(trx),
    sql<{ team_id: string | null; people: number }>`
      select p.team_id, count(distinct d.person_id)::int as people
      from monitoring_flags f join direct_payments d on d.id = f.direct_payment_id join people p on p.id = d.person_id
      where f.council_id = ${councilId} and ${monitored}
      group by 1`.execute(trx),
    sql<{ evaluated_at: Date }>`select evaluated_at from monitoring_snapshots where council_id = ${councilId}`.execute(trx),
  ]);
  return { counts: counts.rows, people: new Map(people.rows.map((r) => [r.team_id, r.people])), evaluatedAt: snapshot.rows[0]?.evaluated_at ?? null };
}

/** Makes sure monitoring has worked out the council's flags at least once (its own transaction and lock). */
async function ensureMonitoringSnapshot(db: Kysely<DB>, councilId: string, today: string): Promise<void> {
  const snapshot = await import('../monitoring/snapshot.ts').catch(() => null);
  if (typeof snapshot?.ensureSnapshot === 'function') await snapshot.ensureSnapshot(db, councilId, { today });
}

// ---- Reading: each page, with its filters, from the summary rows ----

const team = (teamId: string | null) => (teamId ? sql`and team_id = ${teamId}` : sql``);

/**
 * The months a period covers, and whether to take in what is dated after the as-at day: a period
 * ends either today (leave it out) or on the last day of a month (take it in).
 */
function periodMonths(ctx: InsightContext) {
  const endsAtMonthEnd = addDays(addMonths(`${ctx.period.to.slice(0, 7)}-01`, 1), -1) === ctx.period.to;
  return sql`month between ${ctx.period.from.slice(0, 7)} and ${ctx.period.to.slice(0, 7)} ${endsAtMonthEnd ? sql`` : sql`and not after_as_at`}`;
}

async function supportMonths(db: Db, ctx: InsightContext, delivery: 'direct_payment', adultsOnly: boolean) {
  const rows = await sql<{ month: string; started: number; stopped: number }>`
    select month, sum(started)::int as started, sum(stopped)::int as stopped from insight_support_months
    where council_id = ${ctx.councilId} and delivery = ${delivery} ${adultsOnly ? sql`and person_kind = 'adult'` : sql``} ${team(ctx.teamId)}
    group by month`.execute(db);
  return { starts: nonZero(rows.rows.map((r) => [r.month, r.started])), ends: nonZero(rows.rows.map((r) => [r.month, r.stopped])) };
}

export const fromSummaries: FigureSource = {
  'people-on-direct-payments': (db, ctx) => supportMonths(db, ctx, 'direct_payment', false),

  async 'community-support-share'(db, ctx) {
    // People at each month's end: everyone started by then less everyone stopped by then.
    const rows = await sql<{ month: string; measure: 'any' | 'dp'; n: number }>`
      with m as (select to_char(g, 'YYYY-MM') as month from generate_series(${ctx.period.from.slice(0, 7) + '-01'}::date, ${ctx.period.to}::date, interval '1 month') g)
      select m.month, t.measure, (sum(t.started) - sum(t.stopped))::int as n
      from m join insight_community_people_months t on t.month <= m.month
      where t.council_id = ${ctx.councilId} ${team(ctx.teamId)}
      group by m.month, t.measure`.execute(db);
    return {
      people: nonZero(rows.rows.filter((r) => r.measure === 'any').map((r) => [r.month, r.n])),
      dpPeople: nonZero(rows.rows.filter((r) => r.measure === 'dp').map((r) => [r.month, r.n])),
    };
  },

  async spend(db, ctx) {
    const fy = financialYear(ctx.financialYear);
    const [spent, budget] = await Promise.all([
      sql<{ month: string; pence: number }>`
        select month, sum(paid_pence)::bigint as pence from insight_spend_months
        where council_id = ${ctx.councilId} and month between ${fy.from.slice(0, 7)} and ${fy.to.slice(0, 7)} ${team(ctx.teamId)}
        group by month`.execute(db),
      // The budget is read as it is now, so a saved budget shows at once.
      db.selectFrom('insight_budgets').select('budget_pence').where('council_id', '=', ctx.councilId).where('financial_year', '=', ctx.financialYear).executeTakeFirst(),
    ]);
    return { paid: nonZero(spent.rows.map((r) => [r.month, Number(r.pence)])), budgetPence: budget?.budget_pence ?? null };
  },

  async 'one-off-payments'(db, ctx) {
    const rows = await sql<OneOffMonth & { month: string }>`
      select month, sum(payments)::int as payments, sum(paid_pence)::bigint as paid_pence, sum(met)::int as met, sum(partly)::int as partly,
        sum(not_met)::int as not_met, sum(waiting)::int as waiting, sum(avoided_pence)::bigint as avoided_pence
      from insight_one_off_months where council_id = ${ctx.councilId} and ${periodMonths(ctx)} ${team(ctx.teamId)}
      group by month`.execute(db);
    return new Map(rows.rows.map(({ month, ...r }) => [month, { ...r, paid_pence: Number(r.paid_pence), avoided_pence: Number(r.avoided_pence) }]));
  },

  async reviews(db, ctx) {
    const [rows, today] = await Promise.all([
      sql<ReviewMonth & { month: string }>`
        select month, sum(on_time)::int as on_time, sum(late)::int as late, sum(overdue)::int as overdue, sum(not_due)::int as open
        from insight_review_months where council_id = ${ctx.councilId} and ${periodMonths(ctx)} ${team(ctx.teamId)}
        group by month`.execute(db),
      sql<{ overdue: number; oldest: string | null; next_month: number }>`
        select coalesce(sum(reviews_overdue), 0)::int as overdue, min(oldest_overdue_due_on) as oldest, coalesce(sum(reviews_due_next_30_days), 0)::int as next_month
        from insight_team_today where council_id = ${ctx.councilId} ${team(ctx.teamId)}`.execute(db),
    ]);
    return { months: new Map(rows.rows.map(({ month, ...r }) => [month, r])), today: today.rows[0]! };
  },

  async 'monitoring-flags'(db, ctx) {
    const [status, counts, people] = await Promise.all([
      summaryStatus(db, ctx.councilId),
      sql<{ rule: string; level: string; flags: number }>`
        select rule, level, sum(flags)::int as flags from insight_flag_counts where council_id = ${ctx.councilId} ${team(ctx.teamId)} group by rule, level`.execute(db),
      sql<{ people: number }>`select coalesce(sum(flagged_people), 0)::int as people from insight_team_today where council_id = ${ctx.councilId} ${team(ctx.teamId)}`.execute(db),
    ]);
    if (!status?.flagsAvailable) return { available: false, counts: new Map(), people: 0 };
    return { available: true, counts: nonZero(counts.rows.map((r) => [flagKey(r.rule, r.level), r.flags])), people: people.rows[0]!.people };
  },

  async 'time-to-first-payment'(db, ctx) {
    // percentile_disc from the histogram: the smallest number of days whose running count reaches
    // ceil(p × n) (nearest rank), by month and over the whole period.
    const rows = await sql<WaitStats & { month: string | null }>`
      with h as (
        select month, days, sum(people)::bigint as n from insight_first_payment_waits
        where council_id = ${ctx.councilId} and ${periodMonths(ctx)} ${team(ctx.teamId)}
        group by month, days
      ), by_month as (
        select month, days, sum(n) over (partition by month order by days) as cum, sum(n) over (partition by month) as total from h
      ), overall as (
        select days, sum(sum(n)) over (order by days) as cum, sum(sum(n)) over () as total from h group by days
      )
      select month, max(total)::int as n, min(days) filter (where cum >= ceil(0.5::float8 * total)) as median,
        min(days) filter (where cum >= ceil(0.9::float8 * total)) as p90
      from by_month group by month
      union all
      select null, coalesce(max(total), 0)::int, min(days) filter (where cum >= ceil(0.5::float8 * total)), min(days) filter (where cum >= ceil(0.9::float8 * total))
      from overall`.execute(db);
    const overall = rows.rows.find((r) => r.month === null)!;
    return {
      months: new Map(rows.rows.filter((r) => r.month !== null).map(({ month, ...r }) => [month!, r])),
      overall: { n: overall.n, median: overall.median, p90: overall.p90 },
    };
  },

  async feedback(db, ctx) {
    const rows = await sql<{ month: string; question: string; answer: string; n: number }>`
      select month, question, answer, sum(answers)::int as n from insight_feedback_months
      where council_id = ${ctx.councilId} and ${periodMonths(ctx)} ${team(ctx.teamId)}
      group by month, question, answer`.execute(db);
    return nonZero(rows.rows.map((r) => [feedbackKey(r.month, r.question, r.answer), r.n]));
  },
};
