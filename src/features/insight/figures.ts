import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

// The figures each insight page is drawn from. Two sources give them: the live queries (live.ts,
// the definition, used by the tests to check the summaries) and the summary tables the background
// job keeps (summaries.ts, what the pages read). Maps hold only the months that have something.

export type Db = Kysely<DB> | Transaction<DB>;

export type InsightContext = {
  councilId: string;
  teamId: string | null;
  /** From the first day of a month to today or to the last day of a month. */
  period: { from: string; to: string; label: string };
  /** The financial year (by the year it starts) for the money pages. */
  financialYear: number;
  today: string;
};

/** Things starting and stopping, by month ('YYYY-MM'; a stop counts in the month of the day after the last day). */
export type StartsAndEnds = { starts: Map<string, number>; ends: Map<string, number> };

export type OneOffMonth = { payments: number; paid_pence: number; met: number; partly: number; not_met: number; waiting: number; avoided_pence: number };
export type ReviewMonth = { on_time: number; late: number; overdue: number; open: number };
export type ReviewsToday = { overdue: number; oldest: string | null; next_month: number };
export type WaitStats = { n: number; median: number | null; p90: number | null };

export type Figures = {
  'people-on-direct-payments': StartsAndEnds;
  /** Adults with long-term community support at each month's end, as ASCOF 3D part 2a counts them: all of them, and those with it as a direct payment. */
  'community-support-share': { people: Map<string, number>; dpPeople: Map<string, number> };
  spend: { paid: Map<string, number>; budgetPence: number | null };
  'one-off-payments': Map<string, OneOffMonth>;
  reviews: { months: Map<string, ReviewMonth>; today: ReviewsToday };
  'monitoring-flags': { available: boolean; counts: Map<string, number>; people: number };
  'time-to-first-payment': { months: Map<string, WaitStats>; overall: WaitStats };
  /** Survey answers counted by feedbackKey(month, question, answer); `better` is 'wrote' or 'blank'. */
  feedback: Map<string, number>;
};
export type Slug = keyof Figures;

export type FigureSource = { [S in Slug]: (db: Db, ctx: InsightContext) => Promise<Figures[S]> };

/** The key of a monitoring flag count: the check and the level. */
export const flagKey = (rule: string, level: string) => `${rule}|${level}`;

/** The key of a feedback count: the month of the answer, the question and the answer. */
export const feedbackKey = (month: string, question: string, answer: string) => `${month}|${question}|${answer}`;

export function nonZero<K>(entries: Iterable<[K, number]>): Map<K, number> {
  const out = new Map<K, number>();
  for (const [k, v] of entries) if (v !== 0) out.set(k, v);
  return out;
}
