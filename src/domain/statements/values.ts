import type { DateOrder } from './types.ts';

// Dates and amounts as banks write them. Both readers are on the hot path of a million-line
// import, so the common shapes are read by hand before any regular expression is tried.

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

const DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function iso(y: number, m: number, d: number): string | null {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= DAYS_IN[m - 1]!)) return null;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  if (y < 1900 || y > 2199) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const isDigit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** Two-digit years: 70–99 are the 1900s, 00–69 the 2000s (bank statements are recent). */
const fullYear = (y: number, digits: number) => (digits === 2 ? (y >= 70 ? 1900 + y : 2000 + y) : y);

const NUMERIC = /^(\d{1,2})\s*[/.\-'](\s*\d{1,2})\s*[/.\-'](\s*\d{2}|\d{4})$/;
const NAMED = /^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([A-Za-z]{3,9})\.?[\s\-/,]+(\d{2}|\d{4})$/;
const ISO_LIKE = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s\d:.+\-Z[\]A-Za-z]*)?$/;

/**
 * Reads a date as banks write it: 21/11/2013 (or 11/21/2013 when `order` is 'mdy'), 21-11-13,
 * 21.11.2013, 21 Nov 2013, 21-Nov-2013, 2013-11-21, 20131121 (OFX, with or without a time).
 * Returns 'YYYY-MM-DD', or null when it is not a real date.
 */
export function readDate(text: string, order: DateOrder = 'dmy'): string | null {
  let s = text;
  // The fast path: dd/mm/yyyy exactly.
  if (s.length === 10 && s.charCodeAt(2) === 47 && s.charCodeAt(5) === 47 && isDigit(s, 0) && isDigit(s, 1) && isDigit(s, 3) && isDigit(s, 4)) {
    const a = digit(s, 0) * 10 + digit(s, 1);
    const b = digit(s, 3) * 10 + digit(s, 4);
    const y = Number(s.slice(6));
    if (!Number.isInteger(y)) return null;
    return order === 'dmy' ? iso(y, b, a) : iso(y, a, b);
  }
  s = s.trim().replace(/^'/, '');
  let m = NUMERIC.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]!.trim());
    const yText = m[3]!.trim();
    const y = fullYear(Number(yText), yText.length);
    return order === 'dmy' ? iso(y, b, a) : iso(y, a, b);
  }
  m = NAMED.exec(s);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (!month) return null;
    return iso(fullYear(Number(m[3]), m[3]!.length), month, Number(m[1]));
  }
  m = ISO_LIKE.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** The day-first and month-first readings of a numeric date, to tell whether a file's order is ambiguous. */
export function dateReadings(text: string): { dmy: boolean; mdy: boolean } {
  return { dmy: readDate(text, 'dmy') !== null, mdy: readDate(text, 'mdy') !== null };
}

const AMOUNT = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?$/;

/**
 * Reads an amount of money as pence: "12.30", "-1,234.5", "£12.30", "-£12.30", "£-12.30",
 * "'12.30" (NatWest), "(12.30)" (negative), "12.30 CR" / "12.30 DR", "GBP 5". Empty text is
 * null; anything else that is not an amount is NaN, so the caller can say which line.
 */
export function readAmount(text: string): number | null {
  let s = text;
  // The fast path: [-]digits[.dd]
  let i = 0;
  const n = s.length;
  if (n === 0) return null;
  let negative = false;
  if (s.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let whole = 0;
  let start = i;
  while (i < n && isDigit(s, i)) whole = whole * 10 + digit(s, i++);
  if (i > start && i === n) return negative ? -whole * 100 : whole * 100;
  if (i > start && s.charCodeAt(i) === 46) {
    if (i + 3 === n && isDigit(s, i + 1) && isDigit(s, i + 2)) {
      const p = whole * 100 + digit(s, i + 1) * 10 + digit(s, i + 2);
      return negative ? -p : p;
    }
    if (i + 2 === n && isDigit(s, i + 1)) {
      const p = whole * 100 + digit(s, i + 1) * 10;
      return negative ? -p : p;
    }
  }
  // Everything else, carefully.
  s = s.trim().replace(/^'/, '').replace(/\s+/g, ' ');
  if (s === '') return null;
  negative = false;
  const brackets = /^\((.*)\)$/.exec(s);
  if (brackets) {
    negative = true;
    s = brackets[1]!.trim();
  }
  const suffix = /^(.*?)\s*(CR|DR|-)$/i.exec(s);
  if (suffix && suffix[1]) {
    if (suffix[2]!.toUpperCase() !== 'CR') negative = !negative;
    s = suffix[1];
  }
  s = s.replace(/^([+-]?)\s*(?:£|GBP)\s*/i, '$1').replace(/^(?:£|GBP)\s*([+-]?)/i, '$1').replace(/\s*GBP$/i, '');
  const m = AMOUNT.exec(s);
  if (!m || (m[2] === undefined && !m[3])) return Number.NaN;
  const pence = Number((m[2] ?? '0').replace(/,/g, '')) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) return Number.NaN;
  if (m[1] === '-') negative = !negative;
  return negative ? -pence : pence;
}
