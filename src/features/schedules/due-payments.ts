import { sql, type Kysely, type Transaction } from 'kysely';
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

type DueColumns = { dp: string[]; schedule: string[]; starts: string[]; ends: string[]; amount: number[]; contribution: number[] };

/** The payments to create for some schedules' due periods (suspended periods get none), as columns. */
function dueColumns(due: Awaited<ReturnType<typeof periodsDueFor>>): DueColumns {
  const cols: DueColumns = { dp: [], schedule: [], starts: [], ends: [], amount: [], contribution: [] };
  for (const { schedule, due: periods } of due) {
    for (const o of periods) {
      if (o.kind !== 'pay') continue;
      cols.dp.push(schedule.direct_payment_id);
      cols.schedule.push(schedule.id);
      cols.starts.push(o.period.startsOn);
      cols.ends.push(o.period.endsOn);
      cols.amount.push(o.amountPence);
      cols.contribution.push(o.contributionPence);
    }
  }
  return cols;
}

/** One statement: the rows are sent as arrays, one per column, not one by one. */
async function insertDue(db: Kysely<DB> | Trx, cols: DueColumns): Promise<number> {
  if (cols.dp.length === 0) return 0;
  const inserted = await sql`
    insert into payments (direct_payment_id, schedule_id, period_starts_on, period_ends_on, due_on, amount_pence, invoiced_contribution_pence)
    select dp, sc, starts, ends, starts, amount, contribution
    from unnest(${cols.dp}::uuid[], ${cols.schedule}::uuid[], ${cols.starts}::date[], ${cols.ends}::date[], ${cols.amount}::bigint[], ${cols.contribution}::bigint[])
      as t(dp, sc, starts, ends, amount, contribution)
    on conflict (direct_payment_id, period_starts_on) do nothing`.execute(db);
  return Number(inserted.numAffectedRows ?? 0);
}

/**
 * Creates the payments for every period due by `by` across the council's schedules, in one
 * statement. Safe to repeat: the database holds one payment per direct payment per period.
 * Suspended periods get no payment; the run lists them.
 */
export async function scheduleDuePayments(trx: Trx, councilId: string, by: string): Promise<number> {
  await lockCouncilPayments(trx, councilId);
  return insertDue(trx, dueColumns(await periodsDueFor(trx, councilId, by)));
}

/**
 * The same for a payment run, using more than one of the database server's cores: the schedules
 * are shared out between `lanes` transactions that insert at the same time, while `conn`'s
 * transaction holds the council's payments lock for all of them (so nothing else that decides
 * payments can act in between). Shared out by schedule, never by period: a crash may leave some
 * schedules done and others not, but never a later period made without an earlier one, and
 * running it again makes exactly what is missing.
 */
export async function scheduleDuePaymentsInLanes(
  db: Kysely<DB>, conn: Kysely<DB>, councilId: string, by: string, lanes: number, afterLanes?: () => void,
): Promise<number> {
  return conn.transaction().execute(async (trx) => {
    await lockCouncilPayments(trx, councilId);
    const due = await periodsDueFor(trx, councilId, by);
    const size = Math.ceil(due.length / Math.max(1, lanes));
    const shares = Array.from({ length: Math.ceil(due.length / Math.max(1, size)) }, (_, i) => dueColumns(due.slice(i * size, (i + 1) * size)));
    // Every lane finishes (or fails) before the lock is let go.
    const outcomes = await Promise.allSettled(shares.map((cols, i) => (i === 0 ? insertDue(trx, cols) : db.transaction().execute((other) => insertDue(other, cols)))));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    // The other lanes' payments are committed; this transaction's are not.
    if (shares.length > 1) afterLanes?.();
    return outcomes.reduce((sum, o) => sum + (o as PromiseFulfilledResult<number>).value, 0);
  });
}
