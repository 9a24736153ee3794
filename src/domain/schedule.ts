import { addDays, addMonths, daysBetween, type CalendarDate } from './dates.ts';
import type { Pence } from './money.ts';

/**
 * When money is paid and how much. Ongoing direct payments are paid in advance, usually every four
 * weeks, net of the person's own contribution; a short last period is paid pro rata so nobody is
 * paid for days after the direct payment ends.
 */
export type Frequency = 'weekly' | 'four_weekly' | 'monthly';

export type Period = {
  startsOn: CalendarDate;
  /** The last day of the period, inclusive. */
  endsOn: CalendarDate;
  /** False when the direct payment ends before a full period is over. */
  full: boolean;
  /** The days a full period starting then would have had, to pro-rate a short one. */
  fullDays: number;
};

/** The first day of the nth period from a start (n may be negative): counted from the start so the 31st stays the 31st. */
function nthStart(startsOn: CalendarDate, n: number, frequency: Frequency): CalendarDate {
  if (frequency === 'weekly') return addDays(startsOn, 7 * n);
  if (frequency === 'four_weekly') return addDays(startsOn, 28 * n);
  return addMonths(startsOn, n);
}

/**
 * The payment periods from the start date, in order. Periods are counted from the start date (so
 * the monthly 31st stays the 31st where the month allows); an end date cuts the last period short.
 * Without an end date `count` periods are returned (a year of four-weekly periods by default).
 */
export function periods(startsOn: CalendarDate, endsOn: CalendarDate | null, frequency: Frequency, count = 13): Period[] {
  const out: Period[] = [];
  for (let n = 0; out.length < count; n++) {
    const start = nthStart(startsOn, n, frequency);
    if (endsOn && start > endsOn) break;
    const fullEnd = addDays(nthStart(startsOn, n + 1, frequency), -1);
    const cut = endsOn !== null && endsOn < fullEnd;
    out.push({ startsOn: start, endsOn: cut ? endsOn : fullEnd, full: !cut, fullDays: daysBetween(start, fullEnd) + 1 });
  }
  return out;
}

/** What the council pays for a whole period: (weekly amount − weekly contribution) per week of the period. */
export function netAmountForFullPeriod(frequency: Frequency, weeklyAmount: Pence, weeklyContribution: Pence): Pence {
  const netWeekly = Math.max(0, weeklyAmount - weeklyContribution);
  if (frequency === 'weekly') return netWeekly;
  if (frequency === 'four_weekly') return netWeekly * 4;
  return Math.round((netWeekly * 52) / 12);
}

/** What the council pays for this period: the full amount, or for a short period the share of it by days, to the penny. */
export function netAmountForPeriod(period: Period, frequency: Frequency, weeklyAmount: Pence, weeklyContribution: Pence): Pence {
  const full = netAmountForFullPeriod(frequency, weeklyAmount, weeklyContribution);
  if (period.full) return full;
  const days = daysBetween(period.startsOn, period.endsOn) + 1;
  return Math.round((full * days) / period.fullDays);
}

/** The period after the ones already paid or scheduled, if the direct payment runs that long. */
export function nextPeriod(startsOn: CalendarDate, endsOn: CalendarDate | null, frequency: Frequency, after: CalendarDate | null): Period | null {
  if (after === null) return periods(startsOn, endsOn, frequency, 1)[0] ?? null;
  const count = Math.ceil((daysBetween(startsOn, after) + 1) / 7) + 2;
  return periods(startsOn, endsOn, frequency, count).find((p) => p.startsOn > after) ?? null;
}

/**
 * Money is paid in advance, due on the first day of the period, never in the past: an agreement
 * signed after the planned start date is paid from the day it is signed, not backdated.
 */
export function firstPaymentDate(plannedStart: CalendarDate | null, today: CalendarDate): CalendarDate {
  return plannedStart && plannedStart > today ? plannedStart : today;
}

/**
 * How a council handles the person's contribution: 'net' pays the budget less the contribution
 * (the person pays theirs into the account); 'gross' pays the whole budget and invoices it.
 */
export type ContributionHandling = 'net' | 'gross';

/** A weekly rate in force from a date until the next one (April uplifts are new rates). */
export type Rate = { from: CalendarDate; weeklyAmount: Pence; weeklyContribution: Pence };

/** Payments suspended from a date; `resumedFrom` is the first day paid again (null while suspended). */
export type Suspension = { from: CalendarDate; resumedFrom: CalendarDate | null };

export type ScheduleTerms = {
  startsOn: CalendarDate;
  endsOn: CalendarDate | null;
  frequency: Frequency;
  contributions: ContributionHandling;
  /** In date order; the first applies from the start. */
  rates: readonly Rate[];
  suspensions: readonly Suspension[];
  /** A boundary of the council's payment cycle, so everyone is paid on the same days; null: from the start date. */
  anchorOn: CalendarDate | null;
};

export type PeriodOutcome =
  | { kind: 'pay'; period: Period; amountPence: Pence; contributionPence: Pence }
  /** The period starts while payments are suspended: not paid, and listed as an exception. */
  | { kind: 'suspended'; period: Period; since: CalendarDate }
  /** Nothing is owed: the whole period fell in a suspension since lifted, or the contribution covers it. */
  | { kind: 'nothing'; period: Period };

/** The rate in force on a day: the latest that started on or before it (the first, before any started). */
export function rateOn(rates: readonly Rate[], day: CalendarDate): Rate {
  let found = rates[0];
  if (!found) throw new RangeError('A schedule needs at least one rate');
  for (const r of rates) if (r.from <= day) found = r;
  return found;
}

// A payment run works out 120,000 schedules at once, so the rules below count in whole days
// (days since 1 January 1970) rather than making and reading date strings at every step.
const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' → days since 1970-01-01. */
function dayNumber(date: CalendarDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Days since 1970-01-01 → 'YYYY-MM-DD' (Howard Hinnant's civil-from-days, without making a Date). */
function dateOf(day: number): CalendarDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The terms in whole days, with each rate's amounts for a full period worked out once. */
type DayTerms = {
  rates: Array<{ from: number; net: number; contribution: number }>;
  suspensions: Array<{ from: number; until: number; open: boolean; since: CalendarDate }>;
};

function inDays(terms: ScheduleTerms): DayTerms {
  const gross = terms.contributions === 'gross';
  if (!terms.rates.length) throw new RangeError('A schedule needs at least one rate');
  return {
    rates: terms.rates.map((r) => ({
      from: dayNumber(r.from),
      net: netAmountForFullPeriod(terms.frequency, r.weeklyAmount, gross ? 0 : r.weeklyContribution),
      contribution: gross ? netAmountForFullPeriod(terms.frequency, r.weeklyContribution, 0) : 0,
    })),
    suspensions: terms.suspensions.map((x) => ({ from: dayNumber(x.from), until: x.resumedFrom === null ? Infinity : dayNumber(x.resumedFrom), open: x.resumedFrom === null, since: x.from })),
  };
}

function outcomeInDays(t: DayTerms, period: Period, start: number, end: number): PeriodOutcome {
  // Cut the period wherever the rate changes or a suspension starts or stops, and pay each piece.
  const stop = end + 1;
  const cuts = [start, stop];
  for (const r of t.rates) if (r.from > start && r.from < stop) cuts.push(r.from);
  for (const x of t.suspensions) {
    if (x.from > start && x.from < stop) cuts.push(x.from);
    if (x.until > start && x.until < stop) cuts.push(x.until);
  }
  if (cuts.length > 2) cuts.sort((a, b) => a - b);
  let net = 0;
  let contribution = 0;
  for (let i = 0; i < cuts.length - 1; i++) {
    const from = cuts[i]!;
    const days = cuts[i + 1]! - from;
    if (days === 0 || t.suspensions.some((x) => x.from <= from && from < x.until)) continue;
    let rate = t.rates[0]!;
    for (const r of t.rates) if (r.from <= from) rate = r;
    net += rate.net * days;
    contribution += rate.contribution * days;
  }
  const open = t.suspensions.find((x) => x.open && x.from <= start);
  if (open) return { kind: 'suspended', period, since: open.since };
  const amountPence = Math.round(net / period.fullDays);
  if (amountPence <= 0) return { kind: 'nothing', period };
  return { kind: 'pay', period, amountPence, contributionPence: Math.round(contribution / period.fullDays) };
}

/**
 * What is paid for one period. Each day is paid at the rate in force that day, suspended days are
 * not paid, and the total is the period's full amount shared by days, rounded once to the penny,
 * so a period straddling an uplift is pro-rated and a whole period at one rate is paid exactly.
 */
export function periodOutcome(terms: ScheduleTerms, period: Period): PeriodOutcome {
  return outcomeInDays(inDays(terms), period, dayNumber(period.startsOn), dayNumber(period.endsOn));
}

/** The kth boundary of the cycle from its anchor, in days (k may be negative). */
function boundaryDay(anchor: CalendarDate, anchorDay: number, k: number, frequency: Frequency): number {
  if (frequency === 'weekly') return anchorDay + 7 * k;
  if (frequency === 'four_weekly') return anchorDay + 28 * k;
  return dayNumber(addMonths(anchor, k));
}

/** The index of the last boundary on or before the day. */
function boundaryAtOrBefore(anchor: CalendarDate, anchorDay: number, day: number, frequency: Frequency): number {
  if (frequency !== 'monthly') return Math.floor((day - anchorDay) / (frequency === 'weekly' ? 7 : 28));
  const date = dateOf(day);
  let k = (Number(date.slice(0, 4)) - Number(anchor.slice(0, 4))) * 12 + Number(date.slice(5, 7)) - Number(anchor.slice(5, 7));
  while (boundaryDay(anchor, anchorDay, k, frequency) > day) k--;
  while (boundaryDay(anchor, anchorDay, k + 1, frequency) <= day) k++;
  return k;
}

/**
 * The periods that start after `after` (the last period already scheduled; null for none) and on
 * or before `by`, with what is paid for each. Periods run from boundary to boundary of the
 * council's cycle (`anchorOn`; the schedule's own start when there is none), so a schedule that
 * starts between two boundaries has a short first period, paid pro rata like a short last one.
 * Counting starts near `after`, so a schedule running for years costs no more than a new one.
 */
export function periodsDue(terms: ScheduleTerms, after: CalendarDate | null, by: CalendarDate): PeriodOutcome[] {
  const { frequency } = terms;
  const anchor = terms.anchorOn ?? terms.startsOn;
  const anchorDay = dayNumber(anchor);
  const startDay = dayNumber(terms.startsOn);
  const endDay = terms.endsOn === null ? Infinity : dayNumber(terms.endsOn);
  const byDay = dayNumber(by);
  const afterDay = after === null ? -Infinity : dayNumber(after);
  const first = boundaryAtOrBefore(anchor, anchorDay, startDay, frequency);
  let k = afterDay > startDay ? Math.max(first, boundaryAtOrBefore(anchor, anchorDay, afterDay, frequency)) : first;
  let days: DayTerms | undefined;
  const out: PeriodOutcome[] = [];
  for (; ; k++) {
    const from = boundaryDay(anchor, anchorDay, k, frequency);
    const start = k === first ? startDay : from;
    if (start > byDay || start > endDay) break;
    if (start <= afterDay) continue;
    const next = boundaryDay(anchor, anchorDay, k + 1, frequency);
    const end = Math.min(next - 1, endDay);
    const period = { startsOn: dateOf(start), endsOn: dateOf(end), full: end === next - 1 && start === from, fullDays: next - from };
    out.push(outcomeInDays((days ??= inDays(terms)), period, start, end));
  }
  return out;
}

/** The one period that starts on this day, if the schedule has one (for recalculating a payment). */
export function periodStartingOn(terms: ScheduleTerms, startsOn: CalendarDate): Period | null {
  const found = periodsDue(terms, addDays(startsOn, -1), startsOn)[0];
  return found && found.period.startsOn === startsOn ? found.period : null;
}
