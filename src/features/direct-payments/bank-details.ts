/**
 * Bank details as typed and as shown. Only the format is checked here (a sort code is 6 digits, an
 * account number 6 to 10); whether the two belong together is a later, separate check (Vocalink's
 * modulus check). Once saved they are only ever shown masked.
 */
const SEPARATORS = /[\s-]/g;

/** "12-34-56" or "12 34 56" → "123456"; null when it is not 6 digits. */
export function normaliseSortCode(typed: string): string | null {
  const digits = typed.replace(SEPARATORS, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** Spaces removed; null unless 6 to 10 digits. */
export function normaliseAccountNumber(typed: string): string | null {
  const digits = typed.replace(/\s/g, '');
  return /^\d{6,10}$/.test(digits) ? digits : null;
}

/** "12345678" → "••••5678": enough to recognise the account, not enough to use it. */
export function maskAccountNumber(accountNumber: string | null): string {
  if (!accountNumber) return '';
  return `••••${accountNumber.slice(-4)}`;
}

/** "123456" → "••-••-56". */
export function maskSortCode(sortCode: string | null): string {
  if (!sortCode) return '';
  return `••-••-${sortCode.slice(-2)}`;
}
