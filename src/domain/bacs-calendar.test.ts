import { describe, expect, it } from 'vitest';
import { bacsDates, isProcessingDay, processingDayBefore } from './bacs-calendar.ts';

// England and Wales bank holidays as the reference table lists them (calendar-and-rates.md),
// typed in here rather than read from the service's own list, so the two can disagree.
const HOLIDAYS = new Set(
  Object.entries({
    2018: '01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26',
    2020: '01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28',
    2021: '01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28',
    2022: '01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27',
    2023: '01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26',
    2024: '01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26',
    2025: '01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26',
    2026: '01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28',
    2027: '01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28',
  }).flatMap(([year, days]) => days.split(' ').map((d) => `${year}-${d}`)),
);

describe('the published examples (arrival → processing → latest input)', () => {
  // One test per row of the reference's table; each is a real processing day, so it arrives as asked.
  const examples: [string, string, string, string][] = [
    ['2018-03-29', '2018-03-28', '2018-03-27', 'the Thursday before Good Friday: an ordinary week'],
    ['2018-04-03', '2018-03-29', '2018-03-28', 'the Tuesday after Easter: processed the Thursday before Good Friday'],
    ['2018-04-04', '2018-04-03', '2018-03-29', 'the Wednesday after Easter: submitted the Thursday before Good Friday'],
    ['2020-12-29', '2020-12-24', '2020-12-23', 'the Tuesday after Christmas and the Boxing Day substitute'],
    ['2020-12-30', '2020-12-29', '2020-12-24', 'Wednesday 30 December: submitted on Christmas Eve'],
    ['2021-01-04', '2020-12-31', '2020-12-30', 'the first Monday of 2021: processed in the old year'],
    ['2021-01-05', '2021-01-04', '2020-12-31', 'Tuesday 5 January: submitted on New Year’s Eve'],
    ['2022-09-20', '2022-09-16', '2022-09-15', 'the day after the Queen’s funeral bank holiday'],
    ['2022-09-21', '2022-09-20', '2022-09-16', 'two days after the Queen’s funeral bank holiday'],
  ];
  for (const [arrival, processing, latestInput, why] of examples) {
    it(`${arrival}: ${why}`, () => {
      expect(bacsDates(arrival, HOLIDAYS)).toEqual({ arrival, processing, latestInput });
    });
  }
});

describe('an arrival date that is not a processing day pays earlier, never later', () => {
  it('a Saturday arrives on the Friday before', () => {
    expect(bacsDates('2026-11-28', HOLIDAYS)).toEqual({ arrival: '2026-11-27', processing: '2026-11-26', latestInput: '2026-11-25' });
  });

  it('a Sunday arrives on the Friday before too', () => {
    expect(bacsDates('2026-11-29', HOLIDAYS)).toEqual({ arrival: '2026-11-27', processing: '2026-11-26', latestInput: '2026-11-25' });
  });

  it('Christmas Day 2026 (a Friday) arrives on Christmas Eve', () => {
    expect(bacsDates('2026-12-25', HOLIDAYS)).toEqual({ arrival: '2026-12-24', processing: '2026-12-23', latestInput: '2026-12-22' });
  });

  it('the Boxing Day substitute, Monday 28 December 2026, also arrives on Christmas Eve', () => {
    expect(bacsDates('2026-12-28', HOLIDAYS)).toEqual({ arrival: '2026-12-24', processing: '2026-12-23', latestInput: '2026-12-22' });
  });

  it('Easter Monday 2027 arrives on the Thursday before Good Friday', () => {
    expect(bacsDates('2027-03-29', HOLIDAYS)).toEqual({ arrival: '2027-03-25', processing: '2027-03-24', latestInput: '2027-03-23' });
  });

  it('New Year’s Day 2027 (a Friday) arrives on 31 December 2026, processed across the Christmas break', () => {
    expect(bacsDates('2027-01-01', HOLIDAYS)).toEqual({ arrival: '2026-12-31', processing: '2026-12-30', latestInput: '2026-12-29' });
  });
});

describe('spans across Christmas, New Year and Easter', () => {
  it('the first working day of 2027 is processed on 31 December and submitted on 30 December', () => {
    expect(bacsDates('2027-01-04', HOLIDAYS)).toEqual({ arrival: '2027-01-04', processing: '2026-12-31', latestInput: '2026-12-30' });
  });

  it('Tuesday 29 December 2026 is processed on Christmas Eve and submitted on 23 December', () => {
    expect(bacsDates('2026-12-29', HOLIDAYS)).toEqual({ arrival: '2026-12-29', processing: '2026-12-24', latestInput: '2026-12-23' });
  });

  it('Christmas 2027 (both holidays moved to Monday and Tuesday) reaches back to the Thursday before', () => {
    expect(bacsDates('2027-12-29', HOLIDAYS)).toEqual({ arrival: '2027-12-29', processing: '2027-12-24', latestInput: '2027-12-23' });
  });

  it('New Year 2023 (a Monday substitute) pushes 3 January back into 2022', () => {
    expect(bacsDates('2023-01-03', HOLIDAYS)).toEqual({ arrival: '2023-01-03', processing: '2022-12-30', latestInput: '2022-12-29' });
  });

  it('Easter 2026: the Tuesday after Easter Monday is processed the Thursday before Good Friday', () => {
    expect(bacsDates('2026-04-07', HOLIDAYS)).toEqual({ arrival: '2026-04-07', processing: '2026-04-02', latestInput: '2026-04-01' });
  });

  it('Easter 2024 straddles March and April', () => {
    expect(bacsDates('2024-04-03', HOLIDAYS)).toEqual({ arrival: '2024-04-03', processing: '2024-04-02', latestInput: '2024-03-28' });
  });

  it('the 2022 Jubilee (Thursday and Friday) and the weekend after: Monday is processed on Wednesday', () => {
    expect(bacsDates('2022-06-06', HOLIDAYS)).toEqual({ arrival: '2022-06-06', processing: '2022-06-01', latestInput: '2022-05-31' });
  });
});

describe('processing days', () => {
  it('are weekdays that are not bank holidays', () => {
    expect(isProcessingDay('2026-11-23', HOLIDAYS)).toBe(true); // a Monday
    expect(isProcessingDay('2026-11-21', HOLIDAYS)).toBe(false); // a Saturday
    expect(isProcessingDay('2026-11-22', HOLIDAYS)).toBe(false); // a Sunday
    expect(isProcessingDay('2026-08-31', HOLIDAYS)).toBe(false); // summer bank holiday
  });

  it('with no holidays given, only weekends are skipped', () => {
    expect(bacsDates('2026-12-28', new Set())).toEqual({ arrival: '2026-12-28', processing: '2026-12-25', latestInput: '2026-12-24' });
  });

  it('refuses a date that is not a calendar date', () => {
    expect(() => isProcessingDay('2026-02-30', HOLIDAYS)).toThrow(/Not a calendar date/);
    expect(() => bacsDates('next Tuesday', HOLIDAYS)).toThrow(/Not a calendar date/);
  });

  it('says the holiday list is wrong rather than searching for ever', () => {
    const everyDay = new Set(Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)));
    expect(() => processingDayBefore('2026-02-20', everyDay)).toThrow(/check the bank holiday list/);
  });
});
