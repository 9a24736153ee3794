import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addYears, bandFor, firstPeriodStartingOnOrAfter, periodContaining, rateInForce, requirementFor, upliftCost, wageFindings,
  type PaWage, type WageRate,
} from './minimum-wage.ts';
import { addDays } from './dates.ts';

// shared/reference/calendar-and-rates.md, plus a made-up April 2027 rate as an administrator would add it.
const rates: WageRate[] = [
  { band: 'age_21_plus', effectiveFrom: '2025-04-01', hourlyPence: 1221 },
  { band: 'age_18_20', effectiveFrom: '2025-04-01', hourlyPence: 1000 },
  { band: 'age_16_17', effectiveFrom: '2025-04-01', hourlyPence: 755 },
  { band: 'apprentice', effectiveFrom: '2025-04-01', hourlyPence: 755 },
  { band: 'age_21_plus', effectiveFrom: '2026-04-01', hourlyPence: 1271 },
  { band: 'age_18_20', effectiveFrom: '2026-04-01', hourlyPence: 1085 },
  { band: 'age_16_17', effectiveFrom: '2026-04-01', hourlyPence: 800 },
  { band: 'apprentice', effectiveFrom: '2026-04-01', hourlyPence: 800 },
];
const april2027: WageRate[] = [...rates, { band: 'age_21_plus', effectiveFrom: '2027-04-01', hourlyPence: 1318 }, { band: 'age_18_20', effectiveFrom: '2027-04-01', hourlyPence: 1140 }];

const pa = (p: Partial<PaWage>): PaWage => ({ hourlyRatePence: 1300, dateOfBirth: '1980-01-01', isApprentice: false, startsOn: '2025-01-06', endsOn: null, payPeriod: 'monthly', weeklyMinutes: 600, ...p });

describe('the bands and the rate in force', () => {
  it('bands by age, apprentices apart, an unknown age at the adult rate, under 16 none', () => {
    expect([bandFor(15, false), bandFor(16, false), bandFor(17, false), bandFor(18, false), bandFor(20, false), bandFor(21, false), bandFor(null, false), bandFor(30, true, true)])
      .toEqual([null, 'age_16_17', 'age_16_17', 'age_18_20', 'age_18_20', 'age_21_plus', 'age_21_plus', 'apprentice']);
  });
  it('takes the latest rate that started on or before the date', () => {
    expect(rateInForce(rates, 'age_21_plus', '2026-03-31')?.hourlyPence).toBe(1221);
    expect(rateInForce(rates, 'age_21_plus', '2026-04-01')?.hourlyPence).toBe(1271);
    expect(rateInForce(rates, 'age_21_plus', '2024-01-01')).toBeNull();
  });
  it('a 29 February birthday counts from 1 March in other years', () => {
    expect(addYears('2004-02-29', 21)).toBe('2025-03-01');
    expect(addYears('2004-02-29', 20)).toBe('2024-02-29');
  });
});

describe('pay reference periods', () => {
  it('finds the period a date falls in and the first one starting on or after it', () => {
    expect(periodContaining('2026-01-05', 'four_weekly', '2026-03-31')).toBe('2026-03-30');
    expect(firstPeriodStartingOnOrAfter('2026-01-05', 'four_weekly', '2026-04-01')).toBe('2026-04-27');
    expect(firstPeriodStartingOnOrAfter('2026-01-31', 'monthly', '2026-03-01')).toBe('2026-03-31');
    expect(firstPeriodStartingOnOrAfter('2026-01-01', 'monthly', '2026-04-01')).toBe('2026-04-01');
  });
  it('the first period on or after a date is never before it and the one before it started earlier', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 2000 }), fc.constantFrom('weekly', 'fortnightly', 'four_weekly', 'monthly' as const),
      (a, d, period) => {
        const anchor = addDays('2020-01-01', a);
        const date = addDays(anchor, d);
        const next = firstPeriodStartingOnOrAfter(anchor, period, date);
        const containing = periodContaining(anchor, period, date);
        expect(next >= date).toBe(true);
        expect(containing <= date).toBe(true);
        expect(containing === date ? next === date : next > containing).toBe(true);
      },
    ));
  });
});

describe('a PA paid below the rate in force is flagged before it happens', () => {
  it('a rate that is lawful today but not after next April is flagged from the first pay period starting on or after 1 April', () => {
    const bethan = pa({ hourlyRatePence: 1300, startsOn: '2026-06-01', payPeriod: 'four_weekly' });
    expect(wageFindings(bethan, rates, [], '2026-11-23', '2027-11-23')).toEqual([]);
    const found = wageFindings(bethan, april2027, [], '2026-11-23', '2027-11-23');
    expect(found).toHaveLength(1);
    // Four-weekly from 1 June 2026: the period starting 8 March 2027 runs past 1 April, so the new
    // rate starts with the period of 5 April 2027.
    expect(found[0]).toMatchObject({ periodStartsOn: '2027-04-05', cause: 'new_rate', requiredPence: 1318, shortfallPence: 18, weeklyUpliftPence: 180, belowLegalMinimum: true });
  });

  it('a PA turning 21 mid-period is owed the adult rate from the next pay period, not the birthday', () => {
    // Monthly pay from the 1st; 21 on 15 June 2026: the June period started when they were 20.
    const young = pa({ dateOfBirth: '2005-06-15', hourlyRatePence: 1100, startsOn: '2026-01-01', payPeriod: 'monthly' });
    const found = wageFindings(young, rates, [], '2026-05-01', '2026-12-31');
    expect(found.map((f) => [f.periodStartsOn, f.cause, f.band, f.requiredPence])).toEqual([['2026-07-01', 'birthday', 'age_21_plus', 1271]]);
    expect(requirementFor(young, rates, [], '2026-06-01')).toMatchObject({ age: 20, band: 'age_18_20', requiredPence: 1085 });
  });

  it('across an April change and a birthday in the same year, each is flagged at its own pay period', () => {
    // 18–20 rate £10.85 from April 2026; paid £10.50; 21 on 10 September 2026; weekly pay from Mondays.
    const p = pa({ dateOfBirth: '2005-09-10', hourlyRatePence: 1050, startsOn: '2026-01-05', payPeriod: 'weekly', weeklyMinutes: 1200 });
    const found = wageFindings(p, rates, [], '2026-01-05', '2026-12-31');
    expect(found.map((f) => [f.periodStartsOn, f.cause, f.requiredPence])).toEqual([
      ['2026-04-06', 'new_rate', 1085],
      ['2026-09-14', 'birthday', 1271],
    ]);
    expect(found[1]!.weeklyUpliftPence).toBe((1271 - 1050) * 20);
  });

  it('a rate below the law today is flagged now', () => {
    const found = wageFindings(pa({ hourlyRatePence: 1200 }), rates, [], '2026-11-23', '2027-01-31');
    expect(found[0]).toMatchObject({ cause: 'now', periodStartsOn: '2026-11-06', requiredPence: 1271 });
  });

  it('a council floor above the law is required too, and said to be the council’s', () => {
    const floors = [{ name: 'Real Living Wage', effectiveFrom: '2026-11-01', hourlyPence: 1345 }];
    const found = wageFindings(pa({ hourlyRatePence: 1300, startsOn: '2026-01-01' }), rates, floors, '2026-09-01', '2027-01-31');
    expect(found.map((f) => [f.periodStartsOn, f.cause, f.requiredPence, f.belowLegalMinimum])).toEqual([['2026-11-01', 'floor', 1345, false]]);
  });

  it('the apprentice rate is only for apprentices under 19 or in their first year; after that their age band applies', () => {
    // GOV.UK: the apprentice rate applies to apprentices aged under 19, or 19 or over in the first
    // year of their apprenticeship. A 30-year-old apprentice who started in January 2025 is owed the
    // National Living Wage from the first pay period starting on or after January 2026.
    const older = pa({ dateOfBirth: '1996-03-01', isApprentice: true, hourlyRatePence: 800, startsOn: '2025-01-06', payPeriod: 'weekly' });
    expect(requirementFor(older, rates, [], '2025-06-02')).toMatchObject({ band: 'apprentice', requiredPence: 755 });
    expect(requirementFor(older, rates, [], '2026-06-01')).toMatchObject({ band: 'age_21_plus', requiredPence: 1271 });
    const found = wageFindings(older, rates, [], '2025-11-03', '2026-12-31');
    expect(found.map((f) => [f.periodStartsOn, f.band, f.requiredPence])).toEqual([['2026-01-12', 'age_21_plus', 1221], ['2026-04-06', 'age_21_plus', 1271]]);
    // Under 19, the apprentice rate whatever the year.
    const young = pa({ dateOfBirth: '2008-09-01', isApprentice: true, hourlyRatePence: 800, startsOn: '2025-01-06' });
    expect(requirementFor(young, rates, [], '2026-06-01')).toMatchObject({ band: 'apprentice', requiredPence: 800 });
    // An unknown age after the first year: the adult rate (never underpay for a blank box).
    expect(requirementFor(pa({ dateOfBirth: null, isApprentice: true, startsOn: '2025-01-06' }), rates, [], '2026-06-01')).toMatchObject({ band: 'age_21_plus' });
  });

  it('nothing is flagged after the PA has left', () => {
    expect(wageFindings(pa({ hourlyRatePence: 1300, startsOn: '2026-06-01', endsOn: '2027-03-31', payPeriod: 'four_weekly' }), april2027, [], '2026-11-23', '2027-11-23')).toEqual([]);
  });

  it('costs an uplift by the week, the 4-weekly payment and the year', () => {
    expect(upliftCost(180)).toEqual({ weekly: 180, fourWeekly: 720, yearly: 9360 });
  });
});
