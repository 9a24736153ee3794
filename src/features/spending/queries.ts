import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** What the person has recorded buying, newest first. */
export async function spendingFor(db: Db, directPaymentId: string) {
  const rows = await db
    .selectFrom('spending_records')
    .select(['id', 'spent_on', 'amount_pence', 'paid_to', 'outcome', 'note', 'created_at'])
    .where('direct_payment_id', '=', directPaymentId)
    .orderBy('spent_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return { records: rows, totalPence: rows.reduce((sum, r) => sum + r.amount_pence, 0) };
}
