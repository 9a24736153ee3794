import { sql } from 'kysely';
import { financialYear } from '../../domain/charts/periods.ts';
import { flagKey, nonZero, type Db, type FigureSource, type InsightContext, type OneOffMonth, type ReviewMonth, type StartsAndEnds, type WaitStats } from './figures.ts';

// The insight figures worked out from the records themselves, one or two aggregate statements a
// page. This is the definition: the summary tables (summaries.ts) must give the same figures, and
// the tests compare the two. Pages do not call these: at national scale they cost 0.3–4 s each.

const teamFilter = (teamId: string | null) => (teamId ? sql`and p.team_id = ${teamId}` : sql``);
/** The team filter without joining people: only the direct payments of that team's people. */
const teamOfDp = (teamId: string | null) => (teamId ? sql`and d.person_id in (select id from people where team_id = ${teamId})` : sql``);

async function startsAndEnds(db: Db, ctx: InsightContext, what: 'dp' | 'dp_community' | 'arranged'): Promise<StartsAndEnds> {
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
  return {
    starts: nonZero(rows.rows.filter((r) => r.kind === 's').map((r) => [r.mon, r.n])),
    ends: nonZero(rows.rows.filter((r) => r.kind === 'e').map((r) => [r.mon, r.n])),
  };
}

export const live: FigureSource = {
  'people-on-direct-payments': (db, ctx) => startsAndEnds(db, ctx, 'dp'),

  'community-support-share': async (db, ctx) => ({ dp: await startsAndEnds(db, ctx, 'dp_community'), arranged: await startsAndEnds(db, ctx, 'arranged') }),

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
};
