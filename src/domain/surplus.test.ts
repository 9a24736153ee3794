import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween } from './dates.ts';
import { SurplusStepRefused, assertMayRecover, challengeEndsOn, nextStep, offsetTake, recoveryAmount, surplusOf, type CaseStatus } from './surplus.ts';

const STATUSES: CaseStatus[] = ['conversation_due', 'no_recovery', 'notice_due', 'notice_sent', 'challenged', 'recovered', 'refunded', 'offsetting'];

describe('surplus', () => {
  it('is the balance less the contingency and what is already committed', () => {
    expect(surplusOf(380_000, 160_000, 20_000)).toEqual({ balancePence: 380_000, contingencyPence: 160_000, committedPence: 20_000, surplusPence: 200_000 });
  });

  it('never recovers more than the notice said, nor more than the surplus is now, nor less than nothing', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: -1_000_000, max: 10_000_000 }), (notice, now) => {
      const r = recoveryAmount(notice, now);
      return r >= 0 && r <= notice && r <= Math.max(0, now) && (r === notice || r === Math.max(0, now));
    }));
  });

  it('takes from a payment no more than is left of the offset and no more than the payment', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (left, due) => {
      const take = offsetTake(left, due);
      return take >= 0 && take <= left && take <= due && (take === left || take === due);
    }));
  });

  it('gives at least 14 days to challenge', () => {
    fc.assert(fc.property(fc.integer({ min: -10, max: 120 }), (days) => daysBetween('2026-11-23', challengeEndsOn('2026-11-23', days)) >= 14));
    expect(challengeEndsOn('2026-11-23', 28)).toBe('2026-12-21');
  });

  it('allows recovery only after notice, after the challenge period, with no challenge waiting', () => {
    const ends = '2026-12-21';
    fc.assert(fc.property(fc.constantFrom(...STATUSES), fc.integer({ min: -40, max: 40 }), (status, offset) => {
      const today = addDays(ends, offset);
      const state = { status, challenge_ends_on: ends, challenged_on: null, challenge_upheld: null };
      const allowed = status === 'notice_sent' && today > ends;
      let ok = true;
      try {
        assertMayRecover(state, today);
      } catch (err) {
        expect(err).toBeInstanceOf(SurplusStepRefused);
        ok = false;
      }
      expect(ok).toBe(allowed);
      expect(nextStep(state, today) === 'recovery').toBe(allowed);
    }));
  });
});
