import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeShare, settlementOnLeaving, shareOut } from './pool-shares.ts';

describe('sharing a pool purchase by parts', () => {
  it('splits in proportion, the pennies left over going to the largest remainders', () => {
    expect(shareOut(1000, [{ id: 'a', parts: 1 }, { id: 'b', parts: 1 }, { id: 'c', parts: 1 }])).toEqual([
      { id: 'a', amountPence: 334 }, { id: 'b', amountPence: 333 }, { id: 'c', amountPence: 333 },
    ]);
    expect(shareOut(12000, [{ id: 'dewi', parts: 2 }, { id: 'gwen', parts: 1 }, { id: 'alun', parts: 1 }]).map((s) => s.amountPence)).toEqual([6000, 3000, 3000]);
    expect(shareOut(101, [{ id: 'a', parts: 1 }, { id: 'b', parts: 3 }]).map((s) => s.amountPence)).toEqual([25, 76]);
  });

  it('refuses no members, parts of 0 and amounts that are not whole pence', () => {
    expect(() => shareOut(100, [])).toThrow();
    expect(() => shareOut(100, [{ id: 'a', parts: 0 }])).toThrow();
    expect(() => shareOut(10.5, [{ id: 'a', parts: 1 }])).toThrow();
  });

  it('always sums to the whole, each part within a penny of its exact share, and the same inputs give the same split', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 100_000_000 }),
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 30 }),
      (total, parts) => {
        const shares = parts.map((p, i) => ({ id: String(i), parts: p }));
        const out = shareOut(total, shares);
        const whole = parts.reduce((a, b) => a + b, 0);
        expect(out.reduce((s, o) => s + o.amountPence, 0)).toBe(total);
        out.forEach((o, i) => {
          expect(Number.isInteger(o.amountPence)).toBe(true);
          expect(Math.abs(o.amountPence * whole - total * parts[i]!)).toBeLessThan(whole);
        });
        expect(shareOut(total, shares)).toEqual(out);
      },
    ), { numRuns: 500 });
  });

  it('a member with more parts never gets less than one with fewer', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (total, a, b) => {
      const [x, y] = shareOut(total, [{ id: 'x', parts: a }, { id: 'y', parts: b }]);
      if (a > b) expect(x!.amountPence).toBeGreaterThanOrEqual(y!.amountPence);
    }));
  });
});

describe('leaving a pool', () => {
  it('gives back what was put in, less what was given back and the member’s part of what the pool bought', () => {
    expect(settlementOnLeaving({ contributedPence: 24000, returnedPence: 0, spentPence: 9000 })).toBe(15000);
    expect(settlementOnLeaving({ contributedPence: 1000, returnedPence: 0, spentPence: 1000 })).toBe(0);
  });
  it('describes a share in words', () => {
    expect(describeShare(2, 5)).toBe('2 of 5 parts (40%)');
    expect(describeShare(1, 1)).toBe('1 of 1 part (100%)');
  });
});
