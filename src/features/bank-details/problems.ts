import type { Database } from '../../platform/db/database.ts';
import { checkAccount, type ModulusTables } from '../../domain/modulus-check.ts';
import { loadModulusTables } from './tables.ts';

/** The bank columns of a direct payment (account_name may be left out when a caller does not read it). */
export type BankDetailsOf = { payment_method: string; sort_code: string | null; account_number: string | null; account_name?: string | null };

/**
 * Why a direct payment cannot be paid by Bacs as its bank details stand, or null when nothing is
 * wrong. For the payment run's exceptions list. Only bank-account payments need bank details.
 */
export async function bankDetailsProblem(db: Database, dp: BankDetailsOf): Promise<string | null> {
  return bankDetailsProblemWith(await loadModulusTables(db), dp);
}

/** The same, for many direct payments at once: the tables are read once. */
export async function bankDetailsChecker(db: Database): Promise<(dp: BankDetailsOf) => string | null> {
  const tables = await loadModulusTables(db);
  return (dp) => bankDetailsProblemWith(tables, dp);
}

// With no tables imported the format is still checked; whether the numbers match cannot be.
const NO_TABLES: ModulusTables = { rows: [], substitutions: new Map(), version: 'none' };

export function bankDetailsProblemWith(tables: ModulusTables | null, dp: BankDetailsOf): string | null {
  if (dp.payment_method !== 'bank_account') return null;
  if (!dp.sort_code || !dp.account_number || dp.account_name === null || dp.account_name?.trim() === '') return 'No bank details';
  const result = checkAccount(tables ?? NO_TABLES, dp.sort_code, dp.account_number);
  return result.valid ? null : `Bank details fail the modulus check: ${result.reason.charAt(0).toLowerCase()}${result.reason.slice(1)}`;
}
