import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareCosts, describeComparison, weeklyCostOver, weeksInMonthsText, type CostOption } from './cost-comparison.ts';

const cooker: CostOption = { description: 'A cooker', proposed: true, oneOffPence: 45000, weeklyPence: 0 };
const homecare: CostOption = { description: 'A homecare package', proposed: false, oneOffPence: 0, weeklyPence: 15600 };

describe("Peter's cooker against a homecare package", () => {
  const c = compareCosts([cooker, homecare], 12);

  it('costs each option over 12 months (52 weeks)', () => {
    expect(c.options.map((o) => o.totalPence)).toEqual([45000, 811200]);
    expect(c.options[1]!.ongoingPence).toBe(811200);
  });

  it('finds the cooker cheapest and £7,662.00 less than homecare', () => {
    expect(c.cheapest.description).toBe('A cooker');
    expect(c.proposal?.description).toBe('A cooker');
    expect(c.savings).toHaveLength(1);
    expect(c.savings[0]!.alternative.description).toBe('A homecare package');
    expect(c.savings[0]!.savingPence).toBe(766200);
  });

  it('says so in one plain-English sentence', () => {
    expect(describeComparison(c)).toEqual([
      'Over 12 months, a cooker costs £450.00 and a homecare package would cost £8,112.00: £7,662.00 less.',
    ]);
  });
});

describe('comparing costs', () => {
  it('handles options that cost nothing', () => {
    const free: CostOption = { description: 'Family help with shopping', proposed: false, oneOffPence: 0, weeklyPence: 0 };
    const c = compareCosts([cooker, free], 12);
    expect(c.options[1]!.totalPence).toBe(0);
    expect(c.cheapest.description).toBe('Family help with shopping');
    expect(c.savings[0]!.savingPence).toBe(-45000);
    expect(describeComparison(c)[0]).toBe(
      'Over 12 months, a cooker costs £450.00 and Family help with shopping would cost £0.00: £450.00 more.',
    );
  });

  it('counts the proposal as cheapest on a tie, and says there is no difference', () => {
    const a: CostOption = { description: 'Option A', proposed: false, oneOffPence: 0, weeklyPence: 0 };
    const p: CostOption = { description: 'Option P', proposed: true, oneOffPence: 0, weeklyPence: 0 };
    const c = compareCosts([a, p], 1);
    expect(c.cheapest.description).toBe('Option P');
    expect(describeComparison(c)[0]).toBe('Over 1 month, Option P costs £0.00 and Option A would cost £0.00: no difference.');
  });

  it('compares the proposal with every alternative', () => {
    const dayCentre: CostOption = { description: 'A day centre place', proposed: false, oneOffPence: 2500, weeklyPence: 9000 };
    const c = compareCosts([homecare, cooker, dayCentre], 6);
    expect(c.savings.map((s) => [s.alternative.description, s.savingPence])).toEqual([
      ['A homecare package', 15600 * 26 - 45000],
      ['A day centre place', 2500 + 9000 * 26 - 45000],
    ]);
    expect(describeComparison(c)).toHaveLength(2);
  });

  it('has no savings when no option is the proposal', () => {
    const c = compareCosts([homecare], 12);
    expect(c.proposal).toBeNull();
    expect(c.savings).toEqual([]);
    expect(describeComparison(c)).toEqual([]);
  });

  it('refuses nothing to compare, negative costs and pence that are not whole', () => {
    expect(() => compareCosts([], 12)).toThrow(RangeError);
    expect(() => compareCosts([{ ...cooker, oneOffPence: -1 }], 12)).toThrow(RangeError);
    expect(() => compareCosts([{ ...cooker, weeklyPence: 1.5 }], 12)).toThrow(RangeError);
  });
});

describe('the period compared', () => {
  it('accepts 1 to 120 whole months and nothing else', () => {
    expect(weeklyCostOver(15600, 1)).toBe(67600); // 15600 × 52 ÷ 12 = 67,600 exactly
    expect(weeklyCostOver(15600, 120)).toBe(15600 * 520);
    for (const bad of [0, 121, -12, 1.5, Number.NaN]) {
      expect(() => weeklyCostOver(100, bad), String(bad)).toThrow(RangeError);
      expect(() => compareCosts([cooker], bad), String(bad)).toThrow(RangeError);
    }
  });

  it('tells people how many weeks the period is', () => {
    expect(weeksInMonthsText(12)).toBe('52 weeks');
    expect(weeksInMonthsText(3)).toBe('13 weeks');
    expect(weeksInMonthsText(120)).toBe('520 weeks');
    expect(weeksInMonthsText(1)).toBe('about 4.3 weeks');
    expect(weeksInMonthsText(2)).toBe('about 8.7 weeks');
  });
});

describe('rounding', () => {
  it('rounds once, to the nearest whole penny', () => {
    // 1p a week for 1 month is 52/12 = 4.33p → 4p; 3p for 1 month is 13p exactly; 1p for 5 months is 21.67p → 22p.
    expect(weeklyCostOver(1, 1)).toBe(4);
    expect(weeklyCostOver(3, 1)).toBe(13);
    expect(weeklyCostOver(1, 5)).toBe(22);
    // 9p a week for 2 months: 9 × 104 ÷ 12 = 78p exactly.
    expect(weeklyCostOver(9, 2)).toBe(78);
  });

  it('always gives whole pence within half a penny of the exact cost', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 1, max: 120 }), (weekly, months) => {
        const pence = weeklyCostOver(weekly, months);
        expect(Number.isSafeInteger(pence)).toBe(true);
        expect(Math.abs(pence - (weekly * months * 52) / 12)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('totals are exactly one-off plus ongoing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 120 }), (oneOff, weekly, months) => {
        const [o] = compareCosts([{ description: 'x', proposed: true, oneOffPence: oneOff, weeklyPence: weekly }], months).options;
        expect(o!.totalPence).toBe(oneOff + weeklyCostOver(weekly, months));
      }),
    );
  });
});
