import { sql } from 'kysely';
import { financialYear } from '../../domain/charts/periods.ts';
import { feedbackKey, flagKey, nonZero, type Db, type FigureSource, type InsightContext, type OneOffMonth, type ReviewMonth, type StartsAndEnds, type WaitStats } from './figures.ts';

// The insight figures worked out from the records themselves, one or two aggregate statements a
// page. This is the definition: the summary tables (summaries.ts) must give the same figures, and
// the tests compare the two. Pages do not call these: at national scale they cost 0.3–4 s each.

const teamFilter = (teamId: string | null) => (teamId ? sql`and p.team_id = ${teamId}` : sql``);
/** The team filter without joining people: only the direct payments of that team's people. */
const teamOfDp = (teamId: string | null) => (teamId ? sql`and d.person_id in (select id from people where team_id = ${teamId})` : sql``);

async function startsAndEnds(db: Db, ctx: InsightContext): Promise<StartsAndEnds> {
  const rows = await sql<{ kind: 's' | 'e'; mon: string; n: number }>`
    with x as (
      select coalesce(d.starts_on, d.first_payment_on) as s,
        case when d.status = 'ended' then coalesce(d.ends_on, d.updated_at::date) else d.ends_on end as e
      from direct_payments d join people p on p.id = d.person_id
      where d.council_id = ${ctx.councilId} and d.kind = 'ongoing' and d.status in ('active', 'suspended', 'ended')
        and coalesce(d.starts_on, d.first_payment_on) is not null ${teamFilter(ctx.teamId)}
    )
    select 's' as kind, to_char(s, 'YYYY-MM') as mon, count(*)::int as n from x group by 2
    union all
    select 'e', to_char(e + 1, 'YYYY-MM'), count(*)::int from x where e is not null group by 2`.execute(db);
  return {
    starts: nonZero(rows.rows.filter((r) => r.kind === 's').map((r) => [r.mon, r.n])),
    ends: nonZero(rows.rows.filter((r) => r.kind === 'e').map((r) => [r.mon, r.n])),
  };
}

export const live: FigureSource = {
  'people-on-direct-payments': (db, ctx) => startsAndEnds(db, ctx),

  async 'community-support-share'(db, ctx) {
    // ASCOF 3D parts 1a/2a (domain/ascof.ts on the Client Level Data rows of features/reports), taken
    // on the last day of each month instead of only 31 March: adults (kind 'adult', 18 or over and
    // alive that day) with a 'Long term support: Community' service open that day (a direct payment
    // of that service type, or a weekly service the council arranges), each person once; of them,
    // those with any of it as a direct payment.
    const rows = await sql<{ mon: string; people: number; dp_people: number }>`
      with snap as (
        select (g + interval '1 month' - interval '1 day')::date as d from generate_series(${ctx.period.from.slice(0, 7) + '-01'}::date, ${ctx.period.to}::date, interval '1 month') g
      ), svc as (
        select d.person_id, true as dp, coalesce(d.starts_on, d.first_payment_on) as s, d.ends_on as e
        from direct_payments d
        where d.council_id = ${ctx.councilId} and d.status in ('active', 'suspended', 'ended') and d.cld_service_type = 'Long term support: Community'
          and coalesce(d.starts_on, d.first_payment_on) is not null
        union all
        select c.person_id, false, c.agreed_on, case when c.status = 'replaced' then c.updated_at::date end
        from plan_items i join care_plans c on c.id = i.plan_id
        where c.kind = 'ongoing' and c.status in ('agreed', 'replaced') and i.met_by = 'council_service' and i.cost_frequency = 'weekly'
          and i.cost_pence > 0 and c.agreed_on is not null
      )
      select to_char(snap.d, 'YYYY-MM') as mon, count(distinct p.id)::int as people, count(distinct p.id) filter (where svc.dp)::int as dp_people
      from snap join svc on svc.s <= snap.d and (svc.e is null or svc.e >= snap.d)
      join people p on p.id = svc.person_id
      where p.council_id = ${ctx.councilId} and p.kind = 'adult' and extract(year from age(snap.d, p.date_of_birth)) >= 18
        and (p.date_of_death is null or p.date_of_death > snap.d) ${teamFilter(ctx.teamId)}
      group by 1`.execute(db);
    return { people: nonZero(rows.rows.map((r) => [r.mon, r.people])), dpPeople: nonZero(rows.rows.map((r) => [r.mon, r.dp_people])) };
  },

  async spend(db, ctx) {
    const fy = financialYear(ctx.financialYear);
    const [spent, budget] = await Promise.all([
      sql<{ mon: string; pence: number }>`
        select to_char(pm.due_on, 'YYYY-MM') as mon, sum(pm.amount_pence)::bigint as pence
        from payments pm join direct_payments d on d.id = pm.direct_payment_id
        where d.council_id = ${ctx.councilId} and pm.status = 'paid' and pm.due_on between ${fy.from} and ${fy.to} ${teamOfDp(ctx.teamId)}
        group by 1`.execute(db),
      db.selectFrom('insight_budgets').select('budget_pence').where('council_id', '=', ctx.councilId).where('financial_year', '=', ctx.financialYear).executeTakeFirst(),
    ]);
    return { paid: nonZero(spent.rows.map((r) => [r.mon, Number(r.pence)])), budgetPence: budget?.budget_pence ?? null };
  },

  async 'one-off-payments'(db, ctx) {
    // Cost avoided: the cheapest other option in the business case over its horizon, less the one-off
    // (both costed as domain/cost-comparison.ts does: weekly × months × 52 ÷ 12, to the penny).
    const rows = await sql<OneOffMonth & { mon: string }>`
      with one_off as (
        select d.id, coalesce(d.starts_on, d.first_payment_on) as s, d.amount_pence
        from direct_payments d
        where d.council_id = ${ctx.councilId} and d.kind = 'one_off' and d.status in ('active', 'suspended', 'ended')
          and coalesce(d.starts_on, d.first_payment_on) between ${ctx.period.from} and ${ctx.period.to} ${teamOfDp(ctx.teamId)}
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
    return new Map(rows.rows.map(({ mon, ...r }) => [mon, { ...r, paid_pence: Number(r.paid_pence), avoided_pence: Number(r.avoided_pence) }]));
  },

  async reviews(db, ctx) {
    const team = teamOfDp(ctx.teamId);
    const [rows, now] = await Promise.all([
      sql<ReviewMonth & { mon: string }>`
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
    return { months: new Map(rows.rows.map(({ mon, ...r }) => [mon, r])), today: now.rows[0]! };
  },

  async 'monitoring-flags'(db, ctx) {
    const monitoring = await import('../monitoring/queries.ts').catch(() => null);
    if (typeof monitoring?.currentFlags !== 'function') return { available: false, counts: new Map(), people: 0 };
    let flags = await monitoring.currentFlags(db, ctx.councilId, { today: ctx.today });
    if (ctx.teamId) {
      const ids = new Set((await db.selectFrom('people').select('id').where('council_id', '=', ctx.councilId).where('team_id', '=', ctx.teamId).execute()).map((p) => p.id));
      flags = flags.filter((f) => ids.has(f.personId));
    }
    const counts = new Map<string, number>();
    for (const f of flags) counts.set(flagKey(f.rule, f.level), (counts.get(flagKey(f.rule, f.level)) ?? 0) + 1);
    return { available: true, counts, people: new Set(flags.map((f) => f.personId)).size };
  },

  async 'time-to-first-payment'(db, ctx) {
    // Nearest-rank percentiles (percentile_disc), by month and (the rollup row) over the whole period.
    const rows = await sql<WaitStats & { mon: string | null }>`
      with w as (
        select to_char(d.first_payment_on, 'YYYY-MM') as mon,
          d.first_payment_on - (select min(c.held_on) from conversations c where c.person_id = d.person_id) as days
        from direct_payments d
        where d.council_id = ${ctx.councilId} and d.status in ('active', 'suspended', 'ended') and d.first_payment_on between ${ctx.period.from} and ${ctx.period.to} ${teamOfDp(ctx.teamId)}
      )
      select mon, count(*)::int as n, percentile_disc(0.5) within group (order by days) as median, percentile_disc(0.9) within group (order by days) as p90
      from w where days is not null group by rollup (mon)`.execute(db);
    const overall = rows.rows.find((r) => r.mon === null);
    return {
      months: new Map(rows.rows.filter((r) => r.mon !== null).map(({ mon, ...r }) => [mon!, r])),
      overall: { n: overall?.n ?? 0, median: overall?.median ?? null, p90: overall?.p90 ?? null },
    };
  },

  async feedback(db, ctx) {
    // Each answer to the survey (features/feedback) on its day in London, the four questions
    // unpivoted; the optional fourth counted as written or left blank. Counts only.
    const rows = await sql<{ mon: string; question: string; answer: string; n: number }>`
      with r as (
        select to_char((f.created_at at time zone 'Europe/London')::date, 'YYYY-MM') as mon, f.helps, f.easy, f.listened,
          case when f.better is null then 'blank' else 'wrote' end as better
        from feedback_responses f join direct_payments d on d.id = f.direct_payment_id
        where f.council_id = ${ctx.councilId} and (f.created_at at time zone 'Europe/London')::date between ${ctx.period.from} and ${ctx.period.to} ${teamOfDp(ctx.teamId)}
      )
      select r.mon, q.question, q.answer, count(*)::int as n
      from r cross join lateral (values ('helps', r.helps), ('easy', r.easy), ('listened', r.listened), ('better', r.better)) as q(question, answer)
      group by 1, 2, 3`.execute(db);
    return nonZero(rows.rows.map((r) => [feedbackKey(r.mon, r.question, r.answer), r.n]));
  },
};
