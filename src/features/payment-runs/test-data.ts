import type { Database } from '../../platform/db/database.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { approvedDirectPayment } from '../payments/test-data.ts';
import { startPayments } from '../payments/start-payments.ts';
import { saveSettings } from './settings.ts';

/**
 * Test data for payment runs: a direct payment whose agreement is signed (so its payments are set
 * up, as signing does), with the bank details asked for, and the council's Bacs details. Not used
 * by the app.
 */
export async function agreedDirectPayment(
  db: Database,
  opts: Parameters<typeof approvedDirectPayment>[1] & { bank?: { sortCode: string | null; accountNumber: string | null; accountName: string | null }; today?: string },
) {
  const dp = await approvedDirectPayment(db, opts);
  const ids = await demoIds(db);
  await db
    .updateTable('direct_payments')
    .set({
      status: 'agreed',
      ...(opts.bank ? { sort_code: opts.bank.sortCode, account_number: opts.bank.accountNumber, account_name: opts.bank.accountName } : {}),
    })
    .where('id', '=', dp.id)
    .execute();
  const row = await db.selectFrom('direct_payments').selectAll().where('id', '=', dp.id).executeTakeFirstOrThrow();
  await db.transaction().execute((trx) => startPayments(trx, row, ids.user('practitioner'), opts.today ?? '2026-11-23'));
  return dp;
}

export const EASTMOOR_BACS = {
  frequency: 'four_weekly' as const,
  contributions: 'net' as const,
  cycleAnchorOn: null,
  contingencyWeeks: 8,
  serviceUserNumber: '123456',
  serviceUserName: 'EASTMOOR CC',
  sortCode: '401276',
  accountNumber: '12345678',
  accountName: 'EASTMOOR CC DP',
};

export async function setUpBacs(db: Database, overrides: Partial<typeof EASTMOOR_BACS> = {}) {
  const ids = await demoIds(db);
  await db.transaction().execute((trx) => saveSettings(trx, ids.england, { ...EASTMOOR_BACS, ...overrides }, ids.user('finance')));
}
