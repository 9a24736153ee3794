/** Money is always a whole number of pence. These are the only ways in and out of text. */
export type Pence = number;

export function assertPence(value: number): Pence {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Money must be a whole number of pence, got ${value}`);
  return value;
}

const POUNDS = /^-?£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/;

/**
 * Reads an amount typed by a person ("£1,234.50", "1234.5", "75") as pence. Returns null when the
 * text is not an amount of money, so the caller can say so in plain English.
 */
export function parsePounds(text: string): Pence | null {
  const cleaned = text.trim().replace(/^£\s*/, '').replace(/\s+/g, '');
  if (!POUNDS.test(cleaned)) return null;
  const negative = cleaned.startsWith('-');
  const [whole, fraction = ''] = cleaned.replace('-', '').replace(/,/g, '').split('.');
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) return null;
  return negative ? -pence : pence;
}

/** 123456 → "£1,234.56"; -500 → "−£5.00" (a true minus sign, read aloud correctly). */
export function formatPounds(pence: Pence): string {
  const sign = pence < 0 ? '−' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, '0')}`;
}

/** Pence for form fields: 123456 → "1234.56". */
export function penceToInput(pence: Pence | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  const abs = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Splits a whole into parts proportional to weights, largest remainder first, so the parts always sum to the whole. */
export function allocate(total: Pence, weights: readonly number[]): Pence[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new RangeError('allocate needs positive weights');
  const raw = weights.map((w) => (total * w) / sum);
  const floors = raw.map((r) => Math.floor(r));
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rem: r - Math.floor(r) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}
