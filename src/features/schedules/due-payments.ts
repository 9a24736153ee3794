import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { periodsDue, type PeriodOutcome, type ScheduleTerms } from '../../domain/schedule.ts';
import { lockCouncilPayments } from '../payments/locks.ts';
import { changesFor, termsOf, type ScheduleRow } from './terms.ts';

type Trx = Transaction<DB>;

// Direct payments whose schedules still make payments: suspended ones too, because their periods
// are listed (as exceptions) rather than forgotten, and ended ones for days before the end date.
const SCHEDULED_STATUSES = ['agreed', 'active', 'suspended', 'ended'];

/**
 * Every schedule of the council with a period starting by `by` that has no payment yet: the
 * schedule and its terms, and the periods due. Read in one query (the last period scheduled comes
 * from the payments' own unique index), worked out by the rules in domain/schedule.ts.
 */
export async function periodsDueFor(trx: Trx, councilId: string, by: string): Promise<Array<{ schedule: ScheduleRow; terms: ScheduleTerms; due: PeriodOutcome[] }>> {
  const schedules = await sql<ScheduleRow & { last_start: string | null }>`
    select s.id, s.direct_payment_id, s.frequency, s.starts_on, s.ends_on, s.weekly_amount_pence,
           s.weekly_contribution_pence, s.contributions, s.anchor_on,
           (select max(p.period_starts_on) from payments p where p.direct_payment_id = s.direct_payment_id) as last_start
    from payment_schedules s join direct_payments dp on dp.id = s.direct_payment_id
    where dp.council_id = ${councilId} and dp.status = any(${SCHEDULED_STATUSES}::text[]) and s.starts_on <= ${by}
      and (dp.status <> 'ended' or s.ends_on is not null)`.execute(trx);
  const { rates, suspensions } = await changesFor(trx, { councilId });
  const out = [];
  for (const s of schedules.rows) {
    if (s.ends_on !== null && s.last_start !== null && s.last_start >= s.ends_on) continue;
    const terms = termsOf(s, rates.get(s.id) ?? [], suspensions.get(s.id) ?? []);
    const due = periodsDue(terms, s.last_start, by);
    if (due.length) out.push({ schedule: s, terms, due });
  }
  return out;
}

/**
 * Creates the payments for every period due by `by` across the council's schedules, in one
 * statement. Safe to repeat: the database holds one payment per direct payment per period.
 * Suspended periods get no payment; the run lists them.
 */
export async function scheduleDuePayments(trx: Trx, councilId: string, by: string): Promise<number> {
  await lockCouncilPayments(trx, councilId);
  const cols = { dp: [] as string[], schedule: [] as string[], starts: [] as string[], ends: [] as string[], amount: [] as number[], contribution: [] as number[] };
  for (const { schedule, due } of await periodsDueFor(trx, councilId, by)) {
    for (const o of due) {
      if (o.kind !== 'pay') continue;
      cols.dp.push(schedule.direct_payment_id);
      cols.schedule.push(schedule.id);
      cols.starts.push(o.period.startsOn);
      cols.ends.push(o.period.endsOn);
      cols.amount.push(o.amountPence);
      cols.contribution.push(o.contributionPence);
    }
  }
  if (cols.dp.length === 0) return 0;
  const inserted = await sql`
    insert into payments (direct_payment_id, schedule_id, period_starts_on, period_ends_on, due_on, amount_pence, invoiced_contribution_pence)
    select dp, sc, starts, ends, starts, amount, contribution
    from unnest(${cols.dp}::uuid[], ${cols.schedule}::uuid[], ${cols.starts}::date[], ${cols.ends}::date[], ${cols.amount}::bigint[], ${cols.contribution}::bigint[])
      as t(dp, sc, starts, ends, amount, contribution)
    on conflict (direct_payment_id, period_starts_on) do nothing`.execute(trx);
  return Number(inserted.numAffectedRows ?? 0);
}
