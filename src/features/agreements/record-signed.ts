import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { transition } from '../../domain/direct-payment-status.ts';
import { startPayments } from '../payments/start-payments.ts';

export type SignedResult = 'signed' | 'already_signed' | 'replaced';

/**
 * Records that the agreement was signed, on which date and by whom. Signing the first agreement
 * makes the direct payment "agreed" and sets up its payments. The agreement's row is held while
 * this runs, so a double submit waits, then finds it signed and does nothing more.
 */
export async function recordSigned(
  trx: Transaction<DB>,
  args: { agreementId: string; signedOn: string; signedBy: string; user: CurrentUser; today: string; ip?: string },
): Promise<SignedResult> {
  // Lock the direct payment first, as drawing up a new version does, so a version drawn up at the
  // same moment is either seen here as newer or waits until this signature is recorded.
  const owner = await trx.selectFrom('agreements').select('direct_payment_id').where('id', '=', args.agreementId).executeTakeFirstOrThrow();
  const dp = await trx.selectFrom('direct_payments').selectAll().where('id', '=', owner.direct_payment_id).forUpdate().executeTakeFirstOrThrow();
  const agreement = await trx.selectFrom('agreements').selectAll().where('id', '=', args.agreementId).forUpdate().executeTakeFirstOrThrow();
  if (agreement.signed_on) return 'already_signed';
  const newer = await trx
    .selectFrom('agreements')
    .select('id')
    .where('direct_payment_id', '=', agreement.direct_payment_id)
    .where('version', '>', agreement.version)
    .executeTakeFirst();
  if (newer) return 'replaced';
  await trx
    .updateTable('agreements')
    .set({ signed_on: args.signedOn, signed_by_name: args.signedBy, signed_recorded_by: args.user.id })
    .where('id', '=', agreement.id)
    .execute();
  // A later version of a running agreement changes the words, not the money already set up.
  if (dp.status === 'approved') {
    await trx.updateTable('direct_payments').set({ status: transition(dp.status, 'agreed'), updated_at: new Date() }).where('id', '=', dp.id).execute();
    await startPayments(trx, dp, args.user.id, args.today);
  }
  await audit(trx, args.user, {
    action: 'update',
    entityType: 'agreement',
    entityId: agreement.id,
    personId: dp.person_id,
    details: { signed: true, version: agreement.version },
  }, args.ip);
  return 'signed';
}
