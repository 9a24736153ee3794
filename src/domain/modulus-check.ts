/**
 * UK bank account modulus checking, as Vocalink specifies it ("Validating account numbers – UK
 * modulus checking"). A pass means the account number could exist at that sort code: it catches
 * typing mistakes, it does not prove who owns the account. The weight table and the sort-code
 * substitutions are Vocalink's data, imported by the council; they are never part of this code.
 */

export type Algorithm = 'MOD10' | 'MOD11' | 'DBLAL';

/** One line of valacdos.txt: a sort-code range, how to check it, the 14 weights, any exception. */
export type ModulusRow = { start: string; end: string; algorithm: Algorithm; weights: number[]; exception: number | null };

export type ModulusTables = { rows: ModulusRow[]; substitutions: Map<string, string>; version: string };

export type CheckResult = {
  valid: boolean;
  reason: string;
  /** False when the number was accepted without being checked (sort code not in the tables, foreign currency). */
  checked: boolean;
};

const ALGORITHMS: readonly Algorithm[] = ['MOD10', 'MOD11', 'DBLAL'];

/** Reads valacdos.txt (CRLF or LF line ends), in file order: where two rows cover a range, order matters. */
export function parseValacdos(text: string): ModulusRow[] {
  const rows: ModulusRow[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    const where = `valacdos.txt line ${i + 1}`;
    if (fields.length !== 17 && fields.length !== 18) throw new Error(`${where}: expected 17 or 18 fields, found ${fields.length}`);
    const [start, end, algorithm, ...rest] = fields as [string, string, string, ...string[]];
    if (!/^\d{6}$/.test(start) || !/^\d{6}$/.test(end) || start > end) throw new Error(`${where}: the sort-code range ${start}–${end} is not valid`);
    if (!ALGORITHMS.includes(algorithm as Algorithm)) throw new Error(`${where}: unknown method "${algorithm}"`);
    const weights = rest.slice(0, 14).map((w) => (/^-?\d+$/.test(w) ? Number(w) : NaN));
    if (weights.some(Number.isNaN)) throw new Error(`${where}: a weight is not a whole number`);
    const exception = rest[14] === undefined ? null : Number(rest[14]);
    if (exception !== null && !(Number.isInteger(exception) && exception >= 1 && exception <= 14)) throw new Error(`${where}: unknown exception "${rest[14]}"`);
    rows.push({ start, end, algorithm: algorithm as Algorithm, weights, exception });
  }
  if (rows.length === 0) throw new Error('valacdos.txt has no rows');
  return rows;
}

/** Reads scsubtab.txt: original sort code, substitute sort code, one pair per line. */
export function parseScsubtab(text: string): Map<string, string> {
  const substitutions = new Map<string, string>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 2 || !fields.every((f) => /^\d{6}$/.test(f))) throw new Error(`scsubtab.txt line ${i + 1}: expected two 6-digit sort codes`);
    substitutions.set(fields[0]!, fields[1]!);
  }
  return substitutions;
}

/** Sort code and account number as typed: spaces and hyphens ignored. */
export function digitsOnly(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/**
 * The 6-digit sort code and 8-digit account number that the check (and Bacs) use, from the
 * lengths banks actually issue. Without the bank directory (EISCD) a bank is known only by its
 * sort code: Co-operative Bank codes begin 08 (or 839) and use the first 8 of 10 digits; any
 * other 10-digit number is read the NatWest way, the last 8. Only Santander issues 9 digits.
 */
export function standardiseAccount(sortCode: string, account: string): { sortCode: string; accountNumber: string } {
  switch (account.length) {
    case 6:
      return { sortCode, accountNumber: `00${account}` };
    case 7:
      return { sortCode, accountNumber: `0${account}` };
    case 9:
      return { sortCode: sortCode.slice(0, 5) + account[0], accountNumber: account.slice(1) };
    case 10:
      return { sortCode, accountNumber: isCooperativeBank(sortCode) ? account.slice(0, 8) : account.slice(2) };
    default:
      return { sortCode, accountNumber: account };
  }
}

function isCooperativeBank(sortCode: string): boolean {
  return sortCode.startsWith('08') || sortCode.startsWith('839');
}

const NOT_IN_TABLES = 'The sort code is not in the modulus-checking tables, so the account number could not be checked';
const MISMATCH = 'The account number does not match the sort code: check both for a typing mistake';

/** Checks a sort code and account number, typed as people type them, against the tables. */
export function checkAccount(tables: ModulusTables, sortCode: string, accountNumber: string): CheckResult {
  const sc = digitsOnly(sortCode);
  const acc = digitsOnly(accountNumber);
  if (!/^\d{6}$/.test(sc)) return { valid: false, checked: false, reason: 'The sort code must be 6 digits, like 30-96-34' };
  if (!/^\d{6,10}$/.test(acc)) return { valid: false, checked: false, reason: 'The account number must be 6 to 10 digits' };
  const standard = standardiseAccount(sc, acc);
  const outcome = modulusCheck(tables, standard.sortCode, standard.accountNumber);
  switch (outcome) {
    case 'pass':
      return { valid: true, checked: true, reason: 'The account number matches the sort code' };
    case 'fail':
      return { valid: false, checked: true, reason: MISMATCH };
    case 'foreign-currency':
      return { valid: true, checked: false, reason: 'This is a foreign currency account, which modulus checking does not cover' };
    case 'not-in-tables':
      return { valid: true, checked: false, reason: NOT_IN_TABLES };
  }
}

type Outcome = 'pass' | 'fail' | 'foreign-currency' | 'not-in-tables';

/** The checks for a standard 6-digit sort code and 8-digit account number. */
export function modulusCheck(tables: ModulusTables, sortCode: string, accountNumber: string): Outcome {
  const rows = rowsFor(tables.rows, sortCode);
  if (rows.length === 0) return 'not-in-tables';
  const account = digitArray(accountNumber);
  const [a, , c, , , , g, h] = account as [number, number, number, number, number, number, number, number];

  // Exception 6: a foreign currency account cannot be checked.
  if (rows.some((r) => r.exception === 6) && a >= 4 && a <= 8 && g === h) return 'foreign-currency';

  const [first, second] = rows as [ModulusRow, ModulusRow | undefined];
  // Exception 8 checks as if the sort code were 090126; exception 9 as if it were 309634.
  const passes = (row: ModulusRow, sc: string, acc = accountNumber) => rowPasses(row, digitArray((row.exception === 8 ? '090126' : sc) + acc));

  // Exception 5: the substitute sort code (if any) is used for both checks, which must both pass.
  if (first.exception === 5) {
    const sc = tables.substitutions.get(sortCode) ?? sortCode;
    return rows.every((row) => passes(row, sc)) ? 'pass' : 'fail';
  }
  // Exception 14: if the standard check fails and h is 0, 1 or 9, drop h and check 0abcdefg.
  if (first.exception === 14 && !second) {
    if (passes(first, sortCode)) return 'pass';
    if (![0, 1, 9].includes(h)) return 'fail';
    return passes(first, sortCode, `0${accountNumber.slice(0, 7)}`) ? 'pass' : 'fail';
  }
  if (!second) return passes(first, sortCode) ? 'pass' : 'fail';

  // Exceptions 2 & 9: if the first check fails, the second is made with sort code 309634.
  if (first.exception === 2 && second.exception === 9) {
    return passes(first, sortCode) || passes(second, '309634') ? 'pass' : 'fail';
  }
  // Exceptions 10 & 11, 12 & 13: either check passing is enough.
  if ((first.exception === 10 && second.exception === 11) || (first.exception === 12 && second.exception === 13)) {
    return passes(first, sortCode) || passes(second, sortCode) ? 'pass' : 'fail';
  }
  // Exception 3: when c is 6 or 9 the second (double alternate) check is not made.
  if (second.exception === 3 && (c === 6 || c === 9)) return passes(first, sortCode) ? 'pass' : 'fail';
  return passes(first, sortCode) && passes(second, sortCode) ? 'pass' : 'fail';
}

// Exception 2's weights when a is not 0: one set for g = 9, another otherwise.
const EX2_WEIGHTS = [0, 0, 1, 2, 5, 3, 6, 4, 8, 7, 10, 9, 3, 1];
const EX2_WEIGHTS_G9 = [0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 10, 9, 3, 1];
// Positions in uvwxyzabcdefgh.
const A = 6;
const B = 7;
const G = 12;
const H = 13;

/** One row's check of the 14 digits uvwxyzabcdefgh, with the exceptions that change a single check. */
function rowPasses(row: ModulusRow, d: number[]): boolean {
  let weights = row.weights;
  const ex = row.exception;
  const zeroUtoB = (ex === 7 && d[G] === 9) || (ex === 10 && d[G] === 9 && ((d[A] === 0 && d[B] === 9) || (d[A] === 9 && d[B] === 9)));
  if (zeroUtoB) weights = weights.map((w, i) => (i <= B ? 0 : w));
  if (ex === 2 && d[A] !== 0) weights = d[G] === 9 ? EX2_WEIGHTS_G9 : EX2_WEIGHTS;

  const products = weights.map((w, i) => w * d[i]!);
  if (row.algorithm === 'DBLAL') {
    // Double alternate adds the digits of each product: 18 counts as 1 + 8.
    const total = products.reduce((sum, p) => sum + digitSum(p), 0) + (ex === 1 ? 27 : 0);
    const remainder = total % 10;
    if (ex === 5) return remainder === 0 ? d[H] === 0 : 10 - remainder === d[H];
    return remainder === 0;
  }
  const total = products.reduce((sum, p) => sum + p, 0);
  if (row.algorithm === 'MOD10') return mod(total, 10) === 0;
  const remainder = mod(total, 11);
  if (ex === 4) return remainder === d[G]! * 10 + d[H]!;
  if (ex === 5) return remainder === 0 ? d[G] === 0 : remainder !== 1 && 11 - remainder === d[G];
  return remainder === 0;
}

/** The rows covering a sort code, in file order (none, one or two). */
export function rowsFor(rows: ModulusRow[], sortCode: string): ModulusRow[] {
  const index = indexOf(rows);
  const code = Number(sortCode);
  // The last range starting at or before the code; then back while an earlier range could reach it.
  let lo = 0;
  let hi = index.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.starts[mid]! <= code) lo = mid + 1;
    else hi = mid;
  }
  const found: number[] = [];
  for (let i = lo - 1; i >= 0 && index.reach[i]! >= code; i--) {
    if (index.ends[i]! >= code) found.push(index.order[i]!);
  }
  return found.sort((x, y) => x - y).map((i) => rows[i]!);
}

type RangeIndex = { order: number[]; starts: number[]; ends: number[]; reach: number[] };
const indexes = new WeakMap<ModulusRow[], RangeIndex>();

/** Ranges sorted by start, with the furthest end reached so far, so a payment run's thousands of checks each take a few steps. */
function indexOf(rows: ModulusRow[]): RangeIndex {
  let index = indexes.get(rows);
  if (index) return index;
  const order = rows.map((_, i) => i).sort((x, y) => Number(rows[x]!.start) - Number(rows[y]!.start) || x - y);
  const starts = order.map((i) => Number(rows[i]!.start));
  const ends = order.map((i) => Number(rows[i]!.end));
  const reach: number[] = [];
  for (const [k, end] of ends.entries()) reach.push(Math.max(end, k > 0 ? reach[k - 1]! : -1));
  index = { order, starts, ends, reach };
  indexes.set(rows, index);
  return index;
}

function digitArray(digits: string): number[] {
  return [...digits].map(Number);
}

function digitSum(n: number): number {
  let sum = 0;
  for (let x = Math.abs(n); x > 0; x = Math.floor(x / 10)) sum += x % 10;
  return sum;
}

// Negative weights exist, so a total can be negative; the remainder is always taken as 0..m-1.
function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
