import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { transition } from '../../domain/direct-payment-status.ts';

/** Moves a direct payment on, with its row locked; transition() refuses any move its lifecycle does not allow. */
export async function moveDirectPayment(trx: Transaction<DB>, directPaymentId: string, to: string, now: Date): Promise<void> {
  const row = await trx.selectFrom('direct_payments').select('status').where('id', '=', directPaymentId).forUpdate().executeTakeFirstOrThrow();
  await trx.updateTable('direct_payments').set({ status: transition(row.status, to), updated_at: now }).where('id', '=', directPaymentId).execute();
}
