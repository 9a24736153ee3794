import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import type { DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { AGREEABLE_STATUSES, termsFor } from './queries.ts';

export class NotReadyForAgreement extends Error {}

/** Draws up the next version of the agreement from the direct payment as it stands. */
export async function createAgreement(trx: Transaction<DB>, dp: DirectPaymentRow, user: CurrentUser, today: string, ip?: string): Promise<string> {
  // Holding the direct payment's row gives two practitioners at once different version numbers.
  const locked = await trx.selectFrom('direct_payments').select('status').where('id', '=', dp.id).forUpdate().executeTakeFirstOrThrow();
  if (!AGREEABLE_STATUSES.includes(locked.status)) throw new NotReadyForAgreement();
  const last = await trx.selectFrom('agreements').select((eb) => eb.fn.max('version').as('version')).where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  const version = Number(last.version ?? 0) + 1;
  const terms = await termsFor(trx, dp, today);
  const row = await trx
    .insertInto('agreements')
    .values({
      direct_payment_id: dp.id,
      version,
      amount_pence: terms.amountPence,
      frequency: terms.frequency,
      account_summary: terms.accountSummary,
      purpose: terms.purpose,
      records_to_keep: terms.recordsToKeep,
      review_on: terms.reviewOn,
      created_by: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, user, { action: 'create', entityType: 'agreement', entityId: row.id, personId: dp.person_id, details: { version } }, ip);
  return row.id;
}
