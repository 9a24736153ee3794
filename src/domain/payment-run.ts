import { addDays, type CalendarDate } from './dates.ts';
import { bacsDates, isProcessingDay, type BacsDates } from './bacs-calendar.ts';

/**
 * A payment run pays everything due by a date in one Bacs file:
 *
 *   preparing → draft (lines fixed) → approved (by a second person) → file_generated → paid
 *   draft → cancelled (found wrong before approval: its payments are let go for another run)
 *
 * and each of its lines: pending → in_transit (sent, at approval) → paid | returned. A returned
 * line's money is reversed once and its payment goes back on the list for the next run.
 */
export const RUN_STATUSES = ['preparing', 'draft', 'approved', 'file_generated', 'paid', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const LINE_STATUSES = ['pending', 'in_transit', 'paid', 'returned'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

const RUN_NEXT: Record<RunStatus, readonly RunStatus[]> = {
  preparing: ['draft'],
  draft: ['approved', 'cancelled'],
  approved: ['file_generated'],
  file_generated: ['paid'],
  paid: [],
  cancelled: [],
};

const LINE_NEXT: Record<LineStatus, readonly LineStatus[]> = {
  pending: ['in_transit'],
  in_transit: ['paid', 'returned'],
  paid: ['returned'],
  returned: [],
};

export const RUN_STATUS_NAMES: Record<RunStatus, string> = {
  preparing: 'Being prepared',
  draft: 'Waiting for approval',
  approved: 'Approved',
  file_generated: 'Bacs file created',
  paid: 'Paid',
  cancelled: 'Cancelled',
};

export const LINE_STATUS_NAMES: Record<LineStatus, string> = {
  pending: 'Not sent yet',
  in_transit: 'Sent',
  paid: 'Paid',
  returned: 'Returned',
};

export type ExceptionReason = 'bank_details' | 'suspended' | 'ended' | 'over_limit';

export const EXCEPTION_NAMES: Record<ExceptionReason, string> = {
  bank_details: 'Bank details',
  suspended: 'Payments suspended',
  ended: 'Direct payment ended',
  over_limit: 'Over the Bacs limit',
};

export class RunStateError extends Error {}

function isRunStatus(value: string): value is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value);
}

function isLineStatus(value: string): value is LineStatus {
  return (LINE_STATUSES as readonly string[]).includes(value);
}

/** Checks a run's move, saying in plain English why it cannot happen. */
export function runTransition(from: string, to: RunStatus): RunStatus {
  if (!isRunStatus(from)) throw new RunStateError(`“${from}” is not a payment run status`);
  if (RUN_NEXT[from].includes(to)) return to;
  throw new RunStateError(`A payment run that is “${RUN_STATUS_NAMES[from].toLowerCase()}” cannot become “${RUN_STATUS_NAMES[to].toLowerCase()}”.`);
}

export function lineTransition(from: string, to: LineStatus): LineStatus {
  if (!isLineStatus(from)) throw new RunStateError(`“${from}” is not a payment status`);
  if (LINE_NEXT[from].includes(to)) return to;
  throw new RunStateError(`A payment that is “${LINE_STATUS_NAMES[from].toLowerCase()}” cannot become “${LINE_STATUS_NAMES[to].toLowerCase()}”.`);
}

export type RunDates = BacsDates & {
  /** Everything due up to this day is paid: the day before money could next arrive after this run. */
  dueBy: CalendarDate;
};

/**
 * The Bacs dates for money wanted on a day, and what the run covers. Money wanted on a weekend or
 * bank holiday arrives the processing day before, so the run for that day is the earlier day's run,
 * and a run covers every day up to the next day money could arrive: paid in advance, never late.
 */
export function runDates(wanted: CalendarDate, holidays: ReadonlySet<string>): RunDates {
  const dates = bacsDates(wanted, holidays);
  let next = addDays(dates.arrival, 1);
  while (!isProcessingDay(next, holidays)) next = addDays(next, 1);
  return { ...dates, dueBy: addDays(next, -1) };
}

/** The first day money can still arrive if the file is sent today (by the evening cut-off). */
export function earliestArrival(today: CalendarDate, holidays: ReadonlySet<string>): CalendarDate {
  let day = today;
  while (!isProcessingDay(day, holidays) || bacsDates(day, holidays).latestInput < today) day = addDays(day, 1);
  return day;
}

/** What the payee sees on their statement: the direct payment's reference and the period's start, DDMMYY. */
export function paymentReference(directPaymentReference: string, periodStartsOn: CalendarDate): string {
  const [y, m, d] = periodStartsOn.split('-') as [string, string, string];
  return `${directPaymentReference} ${d}${m}${y.slice(2)}`;
}

/**
 * A file serial for Bacs: six digits, never all zeros, counting the council's approved runs, so
 * the same run keeps its serial and a restarted approval cannot skip one.
 */
export function fileSerial(approvedBefore: number): string {
  return String((approvedBefore % 999_999) + 1).padStart(6, '0');
}
