import { addDays, isCalendarDate, type CalendarDate } from './dates.ts';

/**
 * The Bacs three-day cycle: day 1 input (submit by the evening cut-off), day 2 processing (the
 * date in the file), day 3 entry (money in the payee's account). Only processing days count:
 * Monday to Friday except England and Wales bank holidays, which the caller passes in, so these
 * rules never read a database or a clock.
 */
export type BacsDates = {
  /** When the money reaches the payee's account. */
  arrival: CalendarDate;
  /** Bacs processing day: the date written in the file. */
  processing: CalendarDate;
  /** The last day the file can be submitted, before the evening cut-off. */
  latestInput: CalendarDate;
};

// A year has at most a fortnight of weekends and holidays in a row; anything longer means the
// holiday list is wrong, and looping for ever would hide that.
const LONGEST_GAP = 31;

export function isProcessingDay(date: CalendarDate, holidays: ReadonlySet<string>): boolean {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/** The last processing day strictly before a date. */
export function processingDayBefore(date: CalendarDate, holidays: ReadonlySet<string>): CalendarDate {
  let day = date;
  for (let i = 0; i < LONGEST_GAP; i++) {
    day = addDays(day, -1);
    if (isProcessingDay(day, holidays)) return day;
  }
  throw new RangeError(`No Bacs processing day in the ${LONGEST_GAP} days before ${date}: check the bank holiday list`);
}

/**
 * The processing and latest input days for money wanted on a date. A direct payment pays for
 * support that has to be there, so when the wanted date is a weekend or bank holiday the money
 * arrives earlier (the last processing day before it), never later.
 */
export function bacsDates(arrivalDate: CalendarDate, holidays: ReadonlySet<string>): BacsDates {
  const arrival = isProcessingDay(arrivalDate, holidays) ? arrivalDate : processingDayBefore(arrivalDate, holidays);
  const processing = processingDayBefore(arrival, holidays);
  const latestInput = processingDayBefore(processing, holidays);
  return { arrival, processing, latestInput };
}
