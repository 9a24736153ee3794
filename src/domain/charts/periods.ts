// Months and financial years for the insight pages: pure date arithmetic on 'YYYY-MM-DD' strings.
import { addDays, addMonths } from '../dates.ts';

export type Month = { key: string; first: string; last: string; label: string };

const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function monthLabel(key: string): string {
  return `${SHORT[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
}

/** Every month from the one holding `from` to the one holding `to`, inclusive. */
export function monthsBetween(from: string, to: string): Month[] {
  const out: Month[] = [];
  let first = `${monthOf(from)}-01`;
  const end = `${monthOf(to)}-01`;
  while (first <= end) {
    const next = addMonths(first, 1);
    out.push({ key: monthOf(first), first, last: addDays(next, -1), label: monthLabel(monthOf(first)) });
    first = next;
  }
  return out;
}

/** The financial year (1 April to 31 March) holding a date, named by the year it starts in. */
export function financialYearOf(date: string): number {
  const y = Number(date.slice(0, 4));
  return date.slice(5) < '04-01' ? y - 1 : y;
}

export function financialYear(year: number): { from: string; to: string; label: string } {
  return { from: `${year}-04-01`, to: `${year + 1}-03-31`, label: `April ${year} to March ${year + 1}` };
}

export const PERIODS = {
  '12m': 'The last 12 months',
  '24m': 'The last 2 years',
  '60m': 'The last 5 years',
  fy: 'This financial year',
  lastfy: 'Last financial year',
} as const;
export type PeriodKey = keyof typeof PERIODS;

/** The months a period choice covers, ending with the month holding today. */
export function periodRange(key: PeriodKey, today: string): { from: string; to: string; label: string } {
  const thisMonth = `${monthOf(today)}-01`;
  switch (key) {
    case '24m': return { from: addMonths(thisMonth, -23), to: today, label: PERIODS[key] };
    case '60m': return { from: addMonths(thisMonth, -59), to: today, label: PERIODS[key] };
    case 'fy': { const fy = financialYear(financialYearOf(today)); return { from: fy.from, to: fy.to, label: `This financial year (${fy.label})` }; }
    case 'lastfy': { const fy = financialYear(financialYearOf(today) - 1); return { from: fy.from, to: fy.to, label: `Last financial year (${fy.label})` }; }
    default: return { from: addMonths(thisMonth, -11), to: today, label: PERIODS['12m'] };
  }
}

/** The median and a percentile of whole numbers (nearest rank). */
export function percentileOf(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
