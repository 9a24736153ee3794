import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { offsetTake } from '../../domain/surplus.ts';
import { accountFor, postTransaction, reverseTransaction } from '../payments/ledger.ts';

type Trx = Transaction<DB>;
type Db = Kysely<DB> | Trx;

/**
 * "Reduce future payments", taken by payment runs, in three moments:
 *
 * 1. **Decided** when a run fixes its lines (`payment-runs/fix-lines.ts`): each line whose direct
 *    payment has an offset left takes min(offset available, the payment), stored on the line as
 *    `offset_pence`. What lines on runs not yet paid have already claimed is not available again
 *    (`offsetsAvailable`), so two runs in flight never take the same pounds. A cancelled run's lines
 *    are let go, and with them what they claimed.
 * 2. **Taken** when the line is paid (`payment-runs/post-lines.ts`, `takeLineOffsets`), in the same
 *    database transaction as the line's paid posting: owed back → the direct payment's account
 *    (kind `surplus_offset`, key `run-line:<line>:offset`), a `surplus_offset_takes` row per offset
 *    it came from (oldest first) naming the line, and `taken_pence` moved on. The Bacs file paid
 *    only amount − offset, so the account ends up with the whole period's payment.
 * 3. **Given back** when the bank returns a paid line (`giveBackLineOffsets`): the offset posting is
 *    reversed once, a reversing take (the opposite amount, naming the take) is appended for each
 *    take, and `taken_pence` goes back down, so the next run takes it again.
 *
 * Payments marked sent and paid by hand (`payments/move-money.ts`) pay the whole amount and take
 * no offset: the offset waits for the next payment run. A payment is on at most one live run line
 * and a payment on a run cannot be moved by hand, so nothing can be taken twice.
 */

/** What each direct payment of a council can still have taken: left on its offsets, less what lines on runs not yet paid have claimed. */
export async function offsetsAvailable(trx: Db, councilId: string): Promise<Map<string, number>> {
  // One statement, so a run being paid at this moment is seen either before (claimed on its lines)
  // or after (taken), never neither nor both.
  const rows = await sql<{ direct_payment_id: string; available: number }>`
    with open as (
      select direct_payment_id, sum(amount_pence - taken_pence)::bigint as left_pence
      from surplus_offsets where council_id = ${councilId} and taken_pence < amount_pence group by direct_payment_id
    )
    select o.direct_payment_id,
      (o.left_pence - coalesce((select sum(l.offset_pence) from payment_run_lines l
                                where l.direct_payment_id = o.direct_payment_id and l.offset_pence > 0
                                  and l.status in ('pending', 'in_transit')), 0))::bigint as available
    from open o`.execute(trx);
  return new Map(rows.rows.filter((r) => r.available > 0).map((r) => [r.direct_payment_id, r.available]));
}

/** What a line takes: all that is available, or the whole payment, whichever is smaller (the caller lowers what is available). */
export function lineOffset(availablePence: number, amountPence: number): number {
  return offsetTake(availablePence, amountPence);
}

/**
 * Takes the offsets of the given lines, just marked paid in this transaction: for each line with an
 * offset, posts owed back → the account once (its key names the line) and records the takes.
 * Returns the pence taken.
 */
export async function takeLineOffsets(trx: Trx, args: { councilId: string; runId: string; lineIds: string[]; today: string; userId: string | null }): Promise<number> {
  if (args.lineIds.length === 0) return 0;
  // The run's offset lines first (a partial index holds only those), then those in this batch.
  const lines = await sql<{ id: string; direct_payment_id: string; offset_pence: number; period_starts_on: string; reference: string }>`
    with offsetting as materialized (
      select l.id, l.payment_id, l.direct_payment_id, l.offset_pence, l.status from payment_run_lines l
      where l.run_id = ${args.runId} and l.offset_pence > 0
    )
    select l.id, l.direct_payment_id, l.offset_pence, to_char(p.period_starts_on, 'YYYY-MM-DD') as period_starts_on, dp.reference
    from offsetting l join payments p on p.id = l.payment_id join direct_payments dp on dp.id = l.direct_payment_id
    where l.id = any(${args.lineIds}::uuid[]) and l.status = 'paid'
    order by l.direct_payment_id, p.period_starts_on`.execute(trx);
  if (lines.rows.length === 0) return 0;
  const owed = await accountFor(trx, args.councilId, 'owed_back');
  let total = 0;
  for (const line of lines.rows) {
    const posted = await postTransaction(trx, {
      idempotencyKey: `run-line:${line.id}:offset`,
      councilId: args.councilId,
      kind: 'surplus_offset',
      description: `${line.reference}: surplus taken off the payment for the period from ${line.period_starts_on}`,
      effectiveOn: args.today,
      directPaymentId: line.direct_payment_id,
      createdBy: args.userId,
      postings: [
        { accountId: owed, amountPence: -line.offset_pence },
        { accountId: await accountFor(trx, args.councilId, 'direct_payment', line.direct_payment_id), amountPence: line.offset_pence },
      ],
    });
    // Posted before (the key is the line's): its takes were recorded with it.
    if (!posted.created) continue;
    const offsets = await trx
      .selectFrom('surplus_offsets')
      .select(['id', 'amount_pence', 'taken_pence'])
      .where('direct_payment_id', '=', line.direct_payment_id)
      .whereRef('taken_pence', '<', 'amount_pence')
      .orderBy('created_at')
      .orderBy('id')
      .forUpdate()
      .execute();
    let left = line.offset_pence;
    for (const o of offsets) {
      const take = offsetTake(o.amount_pence - o.taken_pence, left);
      if (take <= 0) continue;
      await trx.insertInto('surplus_offset_takes').values({ offset_id: o.id, period_starts_on: line.period_starts_on, amount_pence: take, transaction_id: posted.id, line_id: line.id }).execute();
      await trx.updateTable('surplus_offsets').set({ taken_pence: o.taken_pence + take }).where('id', '=', o.id).execute();
      left -= take;
      if (left === 0) break;
    }
    // The line claimed this much when the run was fixed, and nothing else could claim it since.
    if (left !== 0) throw new Error(`Line ${line.id} was fixed to take ${line.offset_pence} pence of surplus but only ${line.offset_pence - left} pence is left to take`);
    total += line.offset_pence;
  }
  return total;
}

/**
 * Gives back what a line took (the bank returned its payment): reverses the offset posting once,
 * appends a reversing take for each take, and lowers `taken_pence`, so a later run takes it again.
 * Returns the reversal's id, or null when the line had taken nothing.
 */
export async function giveBackLineOffsets(trx: Trx, args: { lineId: string; description: string; today: string; userId: string | null }): Promise<string | null> {
  const posted = await trx.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `run-line:${args.lineId}:offset`).executeTakeFirst();
  if (!posted) return null;
  const takes = await trx
    .selectFrom('surplus_offset_takes as t')
    .select(['t.id', 't.offset_id', 't.period_starts_on', 't.amount_pence'])
    .where('t.line_id', '=', args.lineId)
    .where('t.reverses_id', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('surplus_offset_takes as r').select('r.id').whereRef('r.reverses_id', '=', 't.id'))))
    .orderBy('t.offset_id')
    .execute();
  const reversal = await reverseTransaction(trx, posted.id, { description: args.description, effectiveOn: args.today, createdBy: args.userId });
  for (const take of takes) {
    const offset = await trx.selectFrom('surplus_offsets').select('taken_pence').where('id', '=', take.offset_id).forUpdate().executeTakeFirstOrThrow();
    await trx.insertInto('surplus_offset_takes').values({
      offset_id: take.offset_id, period_starts_on: take.period_starts_on, amount_pence: -take.amount_pence,
      transaction_id: reversal.id, line_id: args.lineId, reverses_id: take.id,
    }).execute();
    await trx.updateTable('surplus_offsets').set({ taken_pence: offset.taken_pence - take.amount_pence }).where('id', '=', take.offset_id).execute();
  }
  return reversal.id;
}

/** What is still to be taken off future payments for a direct payment. */
export async function offsetRemaining(db: Db, directPaymentId: string): Promise<number> {
  const row = await db
    .selectFrom('surplus_offsets')
    .select(sql<string>`coalesce(sum(amount_pence - taken_pence), 0)`.as('left'))
    .where('direct_payment_id', '=', directPaymentId)
    .executeTakeFirstOrThrow();
  return Number(row.left);
}

export type OffsetProgress = {
  amountPence: number;
  takenPence: number;
  leftPence: number;
  /** Of what is left, claimed by payments on runs not yet paid. */
  onRunsPence: number;
  takes: Array<{ periodStartsOn: string; amountPence: number; givenBack: boolean }>;
};

/** How much of a direct payment's offsets has been taken back so far, and what is left; null when it has none. */
export async function offsetProgress(db: Db, directPaymentId: string, caseId?: string): Promise<OffsetProgress | null> {
  let q = db.selectFrom('surplus_offsets').select(['id', 'amount_pence', 'taken_pence']).where('direct_payment_id', '=', directPaymentId);
  if (caseId) q = q.where('case_id', '=', caseId);
  const offsets = await q.execute();
  if (offsets.length === 0) return null;
  const ids = offsets.map((o) => o.id);
  const takes = await db
    .selectFrom('surplus_offset_takes as t')
    .select(['t.period_starts_on', 't.amount_pence', (eb) => eb.exists(eb.selectFrom('surplus_offset_takes as r').select('r.id').whereRef('r.reverses_id', '=', 't.id')).as('given_back')])
    .where('t.offset_id', 'in', ids)
    .where('t.reverses_id', 'is', null)
    .orderBy('t.period_starts_on')
    .orderBy('t.created_at')
    .execute();
  const claimed = await db
    .selectFrom('payment_run_lines')
    .select(sql<string>`coalesce(sum(offset_pence), 0)`.as('n'))
    .where('direct_payment_id', '=', directPaymentId)
    .where('offset_pence', '>', 0)
    .where('status', 'in', ['pending', 'in_transit'])
    .executeTakeFirstOrThrow();
  const amount = offsets.reduce((a, o) => a + o.amount_pence, 0);
  const taken = offsets.reduce((a, o) => a + o.taken_pence, 0);
  return {
    amountPence: amount,
    takenPence: taken,
    leftPence: amount - taken,
    onRunsPence: Math.min(amount - taken, Number(claimed.n)),
    takes: takes.map((t) => ({ periodStartsOn: t.period_starts_on, amountPence: t.amount_pence, givenBack: Boolean(t.given_back) })),
  };
}

/**
 * What comes off a direct payment's next payment: the offset its run line holds, or, for a payment
 * not yet on a run, what a run would take now (what is available, up to the payment).
 */
export async function nextPaymentOffset(db: Db, directPaymentId: string, next: { paymentId?: string | null; amountPence: number }): Promise<number> {
  if (next.paymentId) {
    const line = await db
      .selectFrom('payment_run_lines')
      .select('offset_pence')
      .where('payment_id', '=', next.paymentId)
      .where('status', '<>', 'returned')
      .executeTakeFirst();
    if (line) return line.offset_pence;
  }
  const left = await offsetRemaining(db, directPaymentId);
  if (left <= 0) return 0;
  const claimed = await db
    .selectFrom('payment_run_lines')
    .select(sql<string>`coalesce(sum(offset_pence), 0)`.as('n'))
    .where('direct_payment_id', '=', directPaymentId)
    .where('offset_pence', '>', 0)
    .where('status', 'in', ['pending', 'in_transit'])
    .executeTakeFirstOrThrow();
  return lineOffset(left - Number(claimed.n), next.amountPence);
}
