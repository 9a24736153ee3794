import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstPaymentDate, netAmountForFullPeriod, netAmountForPeriod, nextPeriod, periodOutcome, periods, periodsDue, rateOn, type Rate, type ScheduleTerms, type Suspension } from './schedule.ts';
import { addDays, daysBetween } from './dates.ts';

describe('four-weekly periods', () => {
  it('runs 28 days at a time from the start date', () => {
    expect(periods('2026-11-23', null, 'four_weekly', 3)).toEqual([
      { startsOn: '2026-11-23', endsOn: '2026-12-20', full: true, fullDays: 28 },
      { startsOn: '2026-12-21', endsOn: '2027-01-17', full: true, fullDays: 28 },
      { startsOn: '2027-01-18', endsOn: '2027-02-14', full: true, fullDays: 28 },
    ]);
  });

  it('gives a year of periods when no count is asked for', () => {
    expect(periods('2026-11-23', null, 'four_weekly')).toHaveLength(13);
  });

  it('counts 29 February as a day of the period in a leap year', () => {
    expect(periods('2028-02-15', null, 'four_weekly', 1)[0]).toEqual({ startsOn: '2028-02-15', endsOn: '2028-03-13', full: true, fullDays: 28 });
    expect(periods('2027-02-15', null, 'four_weekly', 1)[0]).toEqual({ startsOn: '2027-02-15', endsOn: '2027-03-14', full: true, fullDays: 28 });
  });

  it('cuts the last period short at the end date and stops there', () => {
    expect(periods('2026-11-23', '2027-01-01', 'four_weekly')).toEqual([
      { startsOn: '2026-11-23', endsOn: '2026-12-20', full: true, fullDays: 28 },
      { startsOn: '2026-12-21', endsOn: '2027-01-01', full: false, fullDays: 28 },
    ]);
  });

  it('makes a short first period when the direct payment ends soon after it starts', () => {
    expect(periods('2026-11-23', '2026-12-06', 'four_weekly')).toEqual([{ startsOn: '2026-11-23', endsOn: '2026-12-06', full: false, fullDays: 28 }]);
  });

  it('treats an end date on the last day of a period as a full period', () => {
    expect(periods('2026-11-23', '2026-12-20', 'four_weekly')).toEqual([{ startsOn: '2026-11-23', endsOn: '2026-12-20', full: true, fullDays: 28 }]);
  });

  it('leaves no gaps and no overlaps, whatever the dates', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(day, fc.option(fc.integer({ min: 0, max: 400 })), fc.constantFrom('weekly', 'four_weekly', 'monthly' as const), (start, length, frequency) => {
        const end = length === null ? null : addDays(start, length);
        const ps = periods(start, end, frequency, 20);
        expect(ps[0]!.startsOn).toBe(start);
        for (let i = 1; i < ps.length; i++) expect(daysBetween(ps[i - 1]!.endsOn, ps[i]!.startsOn)).toBe(1);
        for (const p of ps) expect(p.endsOn >= p.startsOn).toBe(true);
        if (end) expect(ps.every((p) => p.endsOn <= end)).toBe(true);
      }),
    );
  });
});

describe('monthly periods', () => {
  it('keeps to the day of the month the payments started, where the month allows', () => {
    expect(periods('2028-01-31', null, 'monthly', 3).map((p) => [p.startsOn, p.endsOn])).toEqual([
      ['2028-01-31', '2028-02-28'],
      ['2028-02-29', '2028-03-30'],
      ['2028-03-31', '2028-04-29'],
    ]);
  });
});

describe('net amounts', () => {
  it('pays (weekly amount − contribution) × 4 for a full four-weekly period', () => {
    expect(netAmountForFullPeriod('four_weekly', 18_800, 2_350)).toBe(65_800);
    const full = periods('2026-11-23', null, 'four_weekly', 1)[0]!;
    expect(netAmountForPeriod(full, 'four_weekly', 18_800, 2_350)).toBe(65_800);
  });

  it('pays nothing when the contribution covers the whole cost', () => {
    expect(netAmountForFullPeriod('four_weekly', 10_000, 12_000)).toBe(0);
  });

  it('pro-rates a short period by days, to the nearest penny', () => {
    const [short] = periods('2026-11-23', '2026-12-02', 'four_weekly');
    // 10 days of a 28-day period: £164.50 net a week → £235.00 for 10 days.
    expect(netAmountForPeriod(short!, 'four_weekly', 18_800, 2_350)).toBe(23_500);
    const [oneDay] = periods('2026-11-23', '2026-11-23', 'four_weekly');
    expect(netAmountForPeriod(oneDay!, 'four_weekly', 1_000, 0)).toBe(143);
  });

  it('pays monthly as 52 weeks over 12 months', () => {
    expect(netAmountForFullPeriod('monthly', 12_000, 0)).toBe(52_000);
  });

  it('pro-rates a short month by the days of that month, including 29 February', () => {
    const [short] = periods('2028-02-01', '2028-02-15', 'monthly');
    // 15 of February 2028's 29 days of £520.
    expect(short).toMatchObject({ full: false, fullDays: 29 });
    expect(netAmountForPeriod(short!, 'monthly', 12_000, 0)).toBe(Math.round((52_000 * 15) / 29));
  });
});

describe('the next period', () => {
  it('is the first period when nothing has been paid', () => {
    expect(nextPeriod('2026-11-23', null, 'four_weekly', null)).toEqual({ startsOn: '2026-11-23', endsOn: '2026-12-20', full: true, fullDays: 28 });
  });

  it('follows the last one scheduled', () => {
    expect(nextPeriod('2026-11-23', null, 'four_weekly', '2026-12-21')?.startsOn).toBe('2027-01-18');
  });

  it('is none once the direct payment has ended', () => {
    expect(nextPeriod('2026-11-23', '2026-12-20', 'four_weekly', '2026-11-23')).toBeNull();
  });
});

describe('the first payment date', () => {
  it('is the planned start when that is still to come', () => {
    expect(firstPaymentDate('2026-12-01', '2026-11-23')).toBe('2026-12-01');
  });
  it('is today when the planned start has passed or was not set', () => {
    expect(firstPaymentDate('2026-11-01', '2026-11-23')).toBe('2026-11-23');
    expect(firstPaymentDate(null, '2026-11-23')).toBe('2026-11-23');
  });
});

const terms = (overrides: Partial<ScheduleTerms> = {}): ScheduleTerms => ({
  startsOn: '2026-11-23',
  endsOn: null,
  frequency: 'four_weekly',
  contributions: 'net',
  rates: [{ from: '2026-11-23', weeklyAmount: 10_000, weeklyContribution: 0 }],
  suspensions: [],
  anchorOn: null,
  ...overrides,
});
const amounts = (t: ScheduleTerms, after: string | null, by: string) =>
  periodsDue(t, after, by).map((o) => [o.period.startsOn, o.period.endsOn, o.kind === 'pay' ? o.amountPence : o.kind]);

describe('rates that change from a date', () => {
  const uplift: Rate[] = [
    { from: '2026-11-23', weeklyAmount: 10_000, weeklyContribution: 0 },
    { from: '2026-12-07', weeklyAmount: 11_000, weeklyContribution: 0 },
  ];

  it('pays a period straddling an uplift day by day: 14 days at £400 a period and 14 at £440', () => {
    expect(amounts(terms({ rates: uplift }), null, '2026-12-21')).toEqual([
      ['2026-11-23', '2026-12-20', 42_000],
      ['2026-12-21', '2027-01-17', 44_000],
    ]);
  });

  it('pays a whole period at the new rate when the change starts with the period', () => {
    const rates = [uplift[0]!, { ...uplift[1]!, from: '2026-12-21' }];
    expect(amounts(terms({ rates }), '2026-11-23', '2026-12-21')).toEqual([['2026-12-21', '2027-01-17', 44_000]]);
  });

  it('finds the rate in force on a day', () => {
    expect(rateOn(uplift, '2026-12-06').weeklyAmount).toBe(10_000);
    expect(rateOn(uplift, '2026-12-07').weeklyAmount).toBe(11_000);
    expect(rateOn(uplift, '2020-01-01').weeklyAmount).toBe(10_000);
  });

  it('pays net of the contribution, or gross with the contribution to invoice', () => {
    const rates = [{ from: '2026-11-23', weeklyAmount: 18_800, weeklyContribution: 2_350 }];
    expect(periodsDue(terms({ rates }), null, '2026-11-23')[0]).toMatchObject({ kind: 'pay', amountPence: 65_800, contributionPence: 0 });
    expect(periodsDue(terms({ rates, contributions: 'gross' }), null, '2026-11-23')[0]).toMatchObject({ kind: 'pay', amountPence: 75_200, contributionPence: 9_400 });
  });
});

describe('first and last periods', () => {
  it('pays a short first period pro rata up to the council’s cycle, then whole periods on the cycle', () => {
    // The cycle runs from Monday 16 November; a start on 23 November leaves 21 of 28 days.
    expect(amounts(terms({ anchorOn: '2026-11-16' }), null, '2027-01-11')).toEqual([
      ['2026-11-23', '2026-12-13', 30_000],
      ['2026-12-14', '2027-01-10', 40_000],
      ['2027-01-11', '2027-02-07', 40_000],
    ]);
  });

  it('pays a short last period pro rata to the end date', () => {
    expect(amounts(terms({ endsOn: '2026-12-27' }), null, '2027-03-01')).toEqual([
      ['2026-11-23', '2026-12-20', 40_000],
      ['2026-12-21', '2026-12-27', 10_000],
    ]);
  });

  it('keeps a monthly cycle on its day of the month', () => {
    expect(amounts(terms({ frequency: 'monthly', anchorOn: '2026-01-01' }), null, '2027-01-01')).toEqual([
      // 8 of November's 30 days of £433.33 (52 weeks over 12 months).
      ['2026-11-23', '2026-11-30', Math.round((43_333 * 8) / 30)],
      ['2026-12-01', '2026-12-31', 43_333],
      ['2027-01-01', '2027-01-31', 43_333],
    ]);
  });
});

describe('suspensions', () => {
  const suspended = (s: Suspension[]) => terms({ suspensions: s });

  it('lists a period that starts while payments are suspended as suspended, not paid', () => {
    expect(amounts(suspended([{ from: '2026-12-21', resumedFrom: null }]), '2026-11-23', '2027-01-18')).toEqual([
      ['2026-12-21', '2027-01-17', 'suspended'],
      ['2027-01-18', '2027-02-14', 'suspended'],
    ]);
  });

  it('pays only the days before a suspension that starts part-way through a period', () => {
    expect(amounts(suspended([{ from: '2026-12-07', resumedFrom: null }]), null, '2026-11-23')).toEqual([['2026-11-23', '2026-12-20', 20_000]]);
  });

  it('owes nothing for a period suspended throughout, and pays from the day payments resume', () => {
    expect(amounts(suspended([{ from: '2026-12-21', resumedFrom: '2027-02-01' }]), '2026-11-23', '2027-02-14')).toEqual([
      ['2026-12-21', '2027-01-17', 'nothing'],
      ['2027-01-18', '2027-02-14', 20_000],
    ]);
  });
});

describe('periods due, against a day-by-day reckoning', () => {
  // An independent way to the same answer: walk every day, add that day's share at its rate.
  function byDays(t: ScheduleTerms, startsOn: string, endsOn: string, fullDays: number): number {
    let total = 0;
    for (let d = startsOn; d <= endsOn; d = addDays(d, 1)) {
      if (t.suspensions.some((s) => s.from <= d && (s.resumedFrom === null || d < s.resumedFrom))) continue;
      const r = [...t.rates].reverse().find((x) => x.from <= d) ?? t.rates[0]!;
      total += netAmountForFullPeriod(t.frequency, r.weeklyAmount, r.weeklyContribution);
    }
    return Math.round(total / fullDays);
  }

  it('agrees for any rates, suspensions, cycle and end date', () => {
    const day = (min: number, max: number) => fc.integer({ min, max }).map((n) => addDays('2026-01-01', n));
    const arb = fc.record({
      startsOn: day(0, 60),
      length: fc.option(fc.integer({ min: 0, max: 300 })),
      frequency: fc.constantFrom('weekly' as const, 'four_weekly' as const, 'monthly' as const),
      anchorOn: fc.option(day(-40, 60)),
      changes: fc.array(fc.record({ at: day(0, 400), weeklyAmount: fc.integer({ min: 1, max: 500_000 }), c: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 3 }),
      pauses: fc.array(fc.record({ at: day(0, 400), days: fc.option(fc.integer({ min: 1, max: 90 })) }), { maxLength: 2 }),
      split: day(0, 400),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const rates = [{ from: a.startsOn, weeklyAmount: 20_000, weeklyContribution: 1_000 }, ...a.changes.map((c) => ({ from: c.at, weeklyAmount: c.weeklyAmount, weeklyContribution: Math.min(c.c, c.weeklyAmount) }))]
          .sort((x, y) => (x.from < y.from ? -1 : 1));
        const pauses = a.pauses.sort((x, y) => (x.at < y.at ? -1 : 1)).map((p, i, all) => ({ from: p.at, resumedFrom: p.days === null && i === all.length - 1 ? null : addDays(p.at, p.days ?? 1) }));
        const t = terms({ startsOn: a.startsOn, endsOn: a.length === null ? null : addDays(a.startsOn, a.length), frequency: a.frequency, anchorOn: a.anchorOn, rates, suspensions: pauses });
        const all = periodsDue(t, null, '2027-03-01');
        for (const [i, o] of all.entries()) {
          if (i > 0) expect(daysBetween(all[i - 1]!.period.endsOn, o.period.startsOn)).toBe(1);
          const expected = byDays(t, o.period.startsOn, o.period.endsOn, o.period.fullDays);
          if (o.kind === 'pay') expect(o.amountPence).toBe(expected);
          else if (o.kind === 'nothing') expect(expected).toBe(0);
        }
        if (all.length) expect(all[0]!.period.startsOn).toBe(a.startsOn);
        // Resuming from a later point gives the same periods as filtering the whole list.
        const after = all.filter((o) => o.period.startsOn <= a.split).at(-1)?.period.startsOn ?? null;
        expect(periodsDue(t, after, '2027-03-01')).toEqual(all.filter((o) => after === null || o.period.startsOn > after));
      }),
    );
  });

  it('matches the single-rate pro-rating already used for agreements', () => {
    const [short] = periods('2026-11-23', '2026-12-02', 'four_weekly');
    const t = terms({ endsOn: '2026-12-02', rates: [{ from: '2026-11-23', weeklyAmount: 18_800, weeklyContribution: 2_350 }] });
    expect(periodOutcome(t, short!)).toMatchObject({ kind: 'pay', amountPence: netAmountForPeriod(short!, 'four_weekly', 18_800, 2_350) });
  });
});
