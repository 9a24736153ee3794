import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { ContributionHandling, Frequency, Rate, ScheduleTerms, Suspension } from '../../domain/schedule.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type ScheduleRow = {
  id: string;
  direct_payment_id: string;
  frequency: string;
  starts_on: string;
  ends_on: string | null;
  weekly_amount_pence: number;
  weekly_contribution_pence: number;
  contributions: string;
  anchor_on: string | null;
};

/**
 * A schedule's terms for the rules in domain/schedule.ts: the rate it started at, each change of
 * rate since, and its suspensions.
 */
export function termsOf(s: ScheduleRow, changes: readonly Rate[], suspensions: readonly Suspension[]): ScheduleTerms {
  const first: Rate = { from: s.starts_on, weeklyAmount: s.weekly_amount_pence, weeklyContribution: s.weekly_contribution_pence };
  return {
    startsOn: s.starts_on,
    endsOn: s.ends_on,
    frequency: s.frequency as Frequency,
    contributions: s.contributions as ContributionHandling,
    rates: [first, ...changes.filter((r) => r.from > s.starts_on)],
    suspensions,
    anchorOn: s.anchor_on,
  };
}

/** The rate changes and suspensions of some schedules, or of all a council's, by schedule id. */
export async function changesFor(db: Db, which: { scheduleIds: readonly string[] } | { councilId: string }) {
  const rates = new Map<string, Rate[]>();
  const suspensions = new Map<string, Suspension[]>();
  const inScope = 'scheduleIds' in which
    ? sql<boolean>`s.id = any(${[...which.scheduleIds]}::uuid[])`
    : sql<boolean>`s.direct_payment_id in (select id from direct_payments where council_id = ${which.councilId})`;
  const [rateRows, suspensionRows] = await Promise.all([
    sql<{ schedule_id: string; effective_from: string; weekly_amount_pence: number; weekly_contribution_pence: number }>`
      select r.schedule_id, r.effective_from, r.weekly_amount_pence, r.weekly_contribution_pence
      from payment_schedule_rates r join payment_schedules s on s.id = r.schedule_id
      where ${inScope} order by r.effective_from`.execute(db),
    sql<{ schedule_id: string; suspended_from: string; resumed_from: string | null }>`
      select x.schedule_id, x.suspended_from, x.resumed_from
      from payment_schedule_suspensions x join payment_schedules s on s.id = x.schedule_id
      where ${inScope} order by x.suspended_from`.execute(db),
  ]);
  for (const r of rateRows.rows) {
    const list = rates.get(r.schedule_id) ?? [];
    list.push({ from: r.effective_from, weeklyAmount: r.weekly_amount_pence, weeklyContribution: r.weekly_contribution_pence });
    rates.set(r.schedule_id, list);
  }
  for (const x of suspensionRows.rows) {
    const list = suspensions.get(x.schedule_id) ?? [];
    list.push({ from: x.suspended_from, resumedFrom: x.resumed_from });
    suspensions.set(x.schedule_id, list);
  }
  return { rates, suspensions };
}

/** One schedule with its terms. */
export async function scheduleWithTerms(db: Db, scheduleId: string) {
  const schedule = await db.selectFrom('payment_schedules').selectAll().where('id', '=', scheduleId).executeTakeFirstOrThrow();
  const { rates, suspensions } = await changesFor(db, { scheduleIds: [schedule.id] });
  return { schedule, terms: termsOf(schedule, rates.get(schedule.id) ?? [], suspensions.get(schedule.id) ?? []) };
}
