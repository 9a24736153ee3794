import crypto from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { maskAccountNumber, maskSortCode } from '../direct-payments/bank-details.ts';

type BankColumns = { account_name: string | null; sort_code: string | null; account_number: string | null };

/** New details typed and checked, waiting in the session for the second confirmation: nothing is saved yet. */
export type PendingChange = {
  dpId: string;
  accountName: string;
  sortCode: string;
  accountNumber: string;
  /** Which details they replace, so a change made by someone else meanwhile is not overwritten unseen. */
  replaces: string;
  /** What the modulus check said when they were typed: 'passed', or why they could not be checked. */
  modulusCheck: string;
};

/** A one-way fingerprint of the details on record: compares them without keeping them in the session. */
export function fingerprint(dp: BankColumns): string {
  return crypto.createHash('sha256').update(JSON.stringify([dp.account_name, dp.sort_code, dp.account_number])).digest('hex');
}

export function sameDetails(dp: BankColumns, change: Pick<PendingChange, 'accountName' | 'sortCode' | 'accountNumber'>): boolean {
  return dp.sort_code === change.sortCode && dp.account_number === change.accountNumber && (dp.account_name ?? '').trim().toUpperCase() === change.accountName.trim().toUpperCase();
}

const masked = (sortCode: string | null, accountNumber: string | null) => ({ sortCode: maskSortCode(sortCode), accountNumber: maskAccountNumber(accountNumber) });

/**
 * Saves the confirmed change with its audit row, in one transaction. The row is locked and compared
 * with what the user saw, so two people changing the same details cannot silently overwrite each other.
 */
export async function changeBankDetails(
  db: Database,
  user: CurrentUser,
  change: PendingChange,
  ip: string | undefined,
): Promise<'changed' | 'changed-meanwhile'> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('direct_payments')
      .select(['id', 'person_id', 'account_name', 'sort_code', 'account_number'])
      .where('id', '=', change.dpId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (fingerprint(before) !== change.replaces) return 'changed-meanwhile';
    await trx
      .updateTable('direct_payments')
      .set({ account_name: change.accountName, sort_code: change.sortCode, account_number: change.accountNumber, updated_at: new Date() })
      .where('id', '=', before.id)
      .execute();
    // Only masked values: the audit log is read by administrators, who have no need of whole numbers.
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'bank-details',
        entityId: before.id,
        personId: before.person_id,
        details: {
          from: masked(before.sort_code, before.account_number),
          to: masked(change.sortCode, change.accountNumber),
          nameChanged: (before.account_name ?? '') !== change.accountName,
          modulusCheck: change.modulusCheck,
          confirmedByPhoneOnRecord: true,
          passwordReentered: true,
        },
      },
      ip,
    );
    return 'changed';
  });
}
