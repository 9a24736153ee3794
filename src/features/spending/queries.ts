import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { receiptKind } from './receipts.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** What the person has recorded buying, newest first, each with its receipt's kind if one was kept. */
export async function spendingFor(db: Db, directPaymentId: string) {
  const rows = await db
    .selectFrom('spending_records')
    .leftJoin('receipts', 'receipts.spending_record_id', 'spending_records.id')
    .select([
      'spending_records.id', 'spending_records.spent_on', 'spending_records.amount_pence', 'spending_records.paid_to',
      'spending_records.outcome', 'spending_records.note', 'spending_records.created_at', 'receipts.media_type as receipt_media_type',
    ])
    .where('spending_records.direct_payment_id', '=', directPaymentId)
    .orderBy('spending_records.spent_on', 'desc')
    .orderBy('spending_records.created_at', 'desc')
    .execute();
  const records = rows.map(({ receipt_media_type, ...r }) => ({
    ...r,
    receipt: receipt_media_type ? { kind: receiptKind(receipt_media_type) } : null,
  }));
  return { records, totalPence: records.reduce((sum, r) => sum + r.amount_pence, 0) };
}
