import { addDays, addMonths, ageOn, daysBetween, isCalendarDate, type CalendarDate } from './dates.ts';
import type { Pence } from './money.ts';

/**
 * The legal minimum hourly pay for a personal assistant, and when a PA's rate falls below it.
 *
 * The rates are data (table `minimum_wage_rates`), never constants here: date-effective and
 * age-banded, with next April's added by an administrator. Two rules of the National Minimum Wage
 * decide *when* a new requirement starts, and both apply to the pay reference period, not the day:
 * - a new rate applies to pay reference periods starting on or after its date;
 * - a worker's age band is their age at the start of the pay reference period, so a PA who turns
 *   21 in the middle of a period is owed the higher rate from the start of the next one.
 * A council may set its own higher floor for PAs (e.g. the Real Living Wage); the required rate is
 * the higher of the two.
 */
export type WageBand = 'age_21_plus' | 'age_18_20' | 'age_16_17' | 'apprentice';
export type WageRate = { band: WageBand; effectiveFrom: CalendarDate; hourlyPence: Pence };
export type WageFloor = { name: string; effectiveFrom: CalendarDate; hourlyPence: Pence };
export type PayPeriod = 'weekly' | 'fortnightly' | 'four_weekly' | 'monthly';

export const BAND_NAMES: Record<WageBand, string> = {
  age_21_plus: 'National Living Wage (21 and over)',
  age_18_20: 'Aged 18 to 20',
  age_16_17: 'Aged 16 to 17',
  apprentice: 'Apprentice',
};

export type PaWage = {
  hourlyRatePence: Pence;
  dateOfBirth: CalendarDate | null;
  isApprentice: boolean;
  startsOn: CalendarDate;
  endsOn: CalendarDate | null;
  payPeriod: PayPeriod;
  weeklyMinutes: number;
};

/**
 * The band for an age. An unknown date of birth counts as 21 or over (the highest rate: never
 * underpay someone because a form was left blank). Under 16s are of school age: no band.
 * The apprentice rate is only for apprentices under 19, or 19 and over in the first year of their
 * apprenticeship (GOV.UK, National Minimum Wage rates); otherwise their age band applies.
 */
export function bandFor(age: number | null, isApprentice: boolean, inFirstYear = false): WageBand | null {
  if (isApprentice && ((age !== null && age < 19) || inFirstYear)) return 'apprentice';
  if (age === null || age >= 21) return 'age_21_plus';
  if (age >= 18) return 'age_18_20';
  if (age >= 16) return 'age_16_17';
  return null;
}

/** The rate in force for a band on a date: the latest one that started on or before it. */
export function rateInForce(rates: readonly WageRate[], band: WageBand, on: CalendarDate): WageRate | null {
  let best: WageRate | null = null;
  for (const r of rates) if (r.band === band && r.effectiveFrom <= on && (!best || r.effectiveFrom > best.effectiveFrom)) best = r;
  return best;
}

export function floorInForce(floors: readonly WageFloor[], on: CalendarDate): WageFloor | null {
  let best: WageFloor | null = null;
  for (const f of floors) if (f.effectiveFrom <= on && (!best || f.effectiveFrom > best.effectiveFrom)) best = f;
  return best;
}

/** The start of the n-th pay reference period counted from the anchor (the PA's first day). */
function periodStart(anchor: CalendarDate, period: PayPeriod, n: number): CalendarDate {
  switch (period) {
    case 'weekly': return addDays(anchor, 7 * n);
    case 'fortnightly': return addDays(anchor, 14 * n);
    case 'four_weekly': return addDays(anchor, 28 * n);
    case 'monthly': return addMonths(anchor, n);
  }
}

const APPROX_DAYS: Record<PayPeriod, number> = { weekly: 7, fortnightly: 14, four_weekly: 28, monthly: 31 };

/** The index of the pay reference period a date falls in (0 for the first, from the anchor). */
function periodIndex(anchor: CalendarDate, period: PayPeriod, date: CalendarDate): number {
  let n = Math.max(0, Math.floor(daysBetween(anchor, date) / APPROX_DAYS[period]) - 1);
  while (periodStart(anchor, period, n + 1) <= date) n++;
  while (n > 0 && periodStart(anchor, period, n) > date) n--;
  return n;
}

/** The start of the pay reference period a date falls in (the anchor, for dates before it). */
export function periodContaining(anchor: CalendarDate, period: PayPeriod, date: CalendarDate): CalendarDate {
  if (date <= anchor) return anchor;
  return periodStart(anchor, period, periodIndex(anchor, period, date));
}

/** The first pay reference period that starts on or after a date. */
export function firstPeriodStartingOnOrAfter(anchor: CalendarDate, period: PayPeriod, date: CalendarDate): CalendarDate {
  const containing = periodContaining(anchor, period, date);
  if (containing >= date) return containing;
  return periodStart(anchor, period, periodIndex(anchor, period, date) + 1);
}

export type Requirement = {
  /** The start of the pay reference period this applies to. */
  periodStartsOn: CalendarDate;
  age: number | null;
  band: WageBand | null;
  legal: WageRate | null;
  floor: WageFloor | null;
  /** The higher of the legal minimum and the council's floor (0 when neither applies). */
  requiredPence: Pence;
};

/** What a PA must be paid an hour for the pay reference period starting on a date. */
export function requirementFor(pa: Pick<PaWage, 'dateOfBirth' | 'isApprentice' | 'startsOn'>, rates: readonly WageRate[], floors: readonly WageFloor[], periodStartsOn: CalendarDate): Requirement {
  const age = pa.dateOfBirth ? ageOn(pa.dateOfBirth, periodStartsOn) : null;
  // The apprenticeship is taken to start when the PA's employment did (the service records no other date).
  const band = bandFor(age, pa.isApprentice, periodStartsOn < addYears(pa.startsOn, 1));
  const legal = band ? rateInForce(rates, band, periodStartsOn) : null;
  const floor = floorInForce(floors, periodStartsOn);
  return { periodStartsOn, age, band, legal, floor, requiredPence: Math.max(legal?.hourlyPence ?? 0, floor?.hourlyPence ?? 0) };
}

export type WageCause = 'now' | 'new_rate' | 'birthday' | 'floor';

export type WageFinding = Requirement & {
  cause: WageCause;
  shortfallPence: Pence;
  /** What paying the required rate for the PA's usual hours adds each week. */
  weeklyUpliftPence: Pence;
  /** Whether the requirement comes from the council's floor rather than the law. */
  belowLegalMinimum: boolean;
};

/**
 * Every point between `from` and `to` (inclusive) at which the PA's hourly rate is, or will be,
 * below what is required: the pay period `from` falls in, and the first pay period starting on or
 * after each new rate, each new floor and each birthday that changes the PA's band. A finding in
 * the future is the warning "before it happens".
 */
export function wageFindings(pa: PaWage, rates: readonly WageRate[], floors: readonly WageFloor[], from: CalendarDate, to: CalendarDate): WageFinding[] {
  const start = from < pa.startsOn ? pa.startsOn : from;
  const end = pa.endsOn && pa.endsOn < to ? pa.endsOn : to;
  if (start > end) return [];
  const changes = new Set<CalendarDate>();
  for (const r of rates) if (r.effectiveFrom > start && r.effectiveFrom <= end) changes.add(r.effectiveFrom);
  for (const f of floors) if (f.effectiveFrom > start && f.effectiveFrom <= end) changes.add(f.effectiveFrom);
  if (pa.isApprentice) {
    const firstAnniversary = addYears(pa.startsOn, 1);
    if (firstAnniversary > start && firstAnniversary <= end) changes.add(firstAnniversary);
  }
  if (pa.dateOfBirth) {
    for (const years of [16, 18, 19, 21]) {
      const birthday = addYears(pa.dateOfBirth, years);
      if (birthday > start && birthday <= end) changes.add(birthday);
    }
  }
  const checkpoints = new Set<CalendarDate>([periodContaining(pa.startsOn, pa.payPeriod, start)]);
  for (const c of changes) {
    const p = firstPeriodStartingOnOrAfter(pa.startsOn, pa.payPeriod, c);
    if (p <= end) checkpoints.add(p);
  }
  const findings: WageFinding[] = [];
  let previous: Requirement | null = null;
  for (const at of [...checkpoints].sort()) {
    const req = requirementFor(pa, rates, floors, at);
    if (previous && req.requiredPence === previous.requiredPence && req.band === previous.band) {
      previous = req;
      continue;
    }
    if (pa.hourlyRatePence < req.requiredPence) {
      const shortfall = req.requiredPence - pa.hourlyRatePence;
      const cause: WageCause = !previous ? 'now' : req.band !== previous.band ? 'birthday' : (req.floor?.hourlyPence ?? 0) > (req.legal?.hourlyPence ?? 0) && req.floor !== previous.floor ? 'floor' : 'new_rate';
      findings.push({
        ...req,
        cause,
        shortfallPence: shortfall,
        weeklyUpliftPence: Math.round((shortfall * pa.weeklyMinutes) / 60),
        belowLegalMinimum: pa.hourlyRatePence < (req.legal?.hourlyPence ?? 0),
      });
    }
    previous = req;
  }
  return findings;
}

/** A date so many years on; 29 February becomes 1 March in other years (the day the age changes). */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isCalendarDate(target) ? target : `${String(y + years).padStart(4, '0')}-03-01`;
}

/** What an uplift costs, for the plan's costing: a week, a 4-weekly payment and a year (52 weeks). */
export function upliftCost(weeklyUpliftPence: Pence): { weekly: Pence; fourWeekly: Pence; yearly: Pence } {
  return { weekly: weeklyUpliftPence, fourWeekly: weeklyUpliftPence * 4, yearly: weeklyUpliftPence * 52 };
}
