import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { offsetTake } from '../../domain/surplus.ts';
import { accountFor, postTransaction } from '../payments/ledger.ts';

/**
 * "Reduce future payments": the payment scheduler calls this, inside its own transaction, when it
 * works out a period's payment for a direct payment, and pays `duePence − takenPence` (nothing at all
 * when the whole payment is taken). Each period is taken once: calling it again for the same
 * period (a retried or re-run schedule) returns what was taken the first time and posts nothing.
 *
 * For each offset taken, the ledger records owed back → the direct payment's account: the money the
 * person already holds stands in for that part of the period's payment, so what they owed is
 * settled and the council's budget pays that much less.
 *
 * Takes the oldest offsets first, never more than is left of them nor more than `duePence`.
 */
export async function takeOffset(
  trx: Transaction<DB>,
  directPaymentId: string,
  duePence: number,
  period: { periodStartsOn: string; effectiveOn?: string; createdBy?: string | null },
): Promise<{ takenPence: number }> {
  if (!Number.isSafeInteger(duePence) || duePence <= 0) return { takenPence: 0 };
  const offsets = await trx
    .selectFrom('surplus_offsets')
    .innerJoin('direct_payments', 'direct_payments.id', 'surplus_offsets.direct_payment_id')
    .select(['surplus_offsets.id', 'surplus_offsets.council_id', 'surplus_offsets.amount_pence', 'surplus_offsets.taken_pence', 'direct_payments.reference'])
    .where('surplus_offsets.direct_payment_id', '=', directPaymentId)
    .orderBy('surplus_offsets.created_at')
    .orderBy('surplus_offsets.id')
    .forUpdate()
    .execute();
  if (!offsets.length) return { takenPence: 0 };

  // Already taken for this period (a second call): report it, change nothing.
  const earlier = await trx
    .selectFrom('surplus_offset_takes')
    .select(sql<string>`coalesce(sum(amount_pence), 0)`.as('taken'))
    .where('offset_id', 'in', offsets.map((o) => o.id))
    .where('period_starts_on', '=', period.periodStartsOn)
    .executeTakeFirstOrThrow();
  if (Number(earlier.taken) > 0) return { takenPence: Number(earlier.taken) };

  let left = duePence;
  let taken = 0;
  for (const o of offsets) {
    const take = offsetTake(o.amount_pence - o.taken_pence, left);
    if (take <= 0) continue;
    const posted = await postTransaction(trx, {
      idempotencyKey: `surplus-offset:${o.id}:${period.periodStartsOn}`,
      councilId: o.council_id,
      kind: 'surplus_offset',
      description: `${o.reference}: surplus taken off the payment for the period from ${period.periodStartsOn}`,
      effectiveOn: period.effectiveOn ?? period.periodStartsOn,
      directPaymentId,
      createdBy: period.createdBy ?? null,
      postings: [
        { accountId: await accountFor(trx, o.council_id, 'owed_back'), amountPence: -take },
        { accountId: await accountFor(trx, o.council_id, 'direct_payment', directPaymentId), amountPence: take },
      ],
    });
    await trx.insertInto('surplus_offset_takes').values({ offset_id: o.id, period_starts_on: period.periodStartsOn, amount_pence: take, transaction_id: posted.id }).execute();
    await trx.updateTable('surplus_offsets').set({ taken_pence: o.taken_pence + take }).where('id', '=', o.id).execute();
    left -= take;
    taken += take;
    if (left <= 0) break;
  }
  return { takenPence: taken };
}

/** What is still to be taken off future payments for a direct payment. */
export async function offsetRemaining(db: Transaction<DB> | Kysely<DB>, directPaymentId: string): Promise<number> {
  const row = await db
    .selectFrom('surplus_offsets')
    .select(sql<string>`coalesce(sum(amount_pence - taken_pence), 0)`.as('left'))
    .where('direct_payment_id', '=', directPaymentId)
    .executeTakeFirstOrThrow();
  return Number(row.left);
}
