import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allowedCostFrequencies,
  costsByFrequency,
  directPaymentShare,
  ongoingAmounts,
  ongoingDirectPaymentProblems,
  personalBudget,
  personalBudgetProblem,
  suggestedContribution,
  type PlanCost,
} from './personal-budget.ts';

// Peter's plan: he cooks for himself (strength), a friend shops with him (informal support), a
// homecare visit the council arranges, and a personal assistant paid by direct payment.
const peter: PlanCost[] = [
  { metBy: 'strengths', costPence: 0, costFrequency: 'none' },
  { metBy: 'informal_support', costPence: 0, costFrequency: 'none' },
  { metBy: 'council_service', costPence: 8_000, costFrequency: 'weekly' },
  { metBy: 'direct_payment', costPence: 15_050, costFrequency: 'weekly' },
  { metBy: 'direct_payment', costPence: 45_000, costFrequency: 'one_off' },
];

describe('the costs of a plan', () => {
  it('adds weekly and one-off costs separately, ignoring outcomes with no cost', () => {
    expect(costsByFrequency(peter)).toEqual({ weekly: 23_050, oneOff: 45_000 });
    expect(costsByFrequency([])).toEqual({ weekly: 0, oneOff: 0 });
  });

  it('counts only what a direct payment meets as the direct-payment share', () => {
    expect(directPaymentShare(peter)).toEqual({ weekly: 15_050, oneOff: 45_000 });
    expect(directPaymentShare(peter.filter((i) => i.metBy !== 'direct_payment'))).toEqual({ weekly: 0, oneOff: 0 });
  });

  it('lets a one-off plan carry only one-off costs', () => {
    expect(allowedCostFrequencies('one_off')).toEqual(['none', 'one_off']);
    expect(allowedCostFrequencies('ongoing')).toEqual(['none', 'one_off', 'weekly']);
  });

  it('never loses a penny when shares are added back together', () => {
    const item = fc.record({
      metBy: fc.constantFrom('strengths', 'informal_support', 'community', 'council_service', 'direct_payment'),
      costPence: fc.integer({ min: 0, max: 10_000_000 }),
      costFrequency: fc.constantFrom('none', 'one_off', 'weekly'),
    });
    fc.assert(
      fc.property(fc.array(item), (items) => {
        const all = costsByFrequency(items);
        const dp = directPaymentShare(items);
        const rest = costsByFrequency(items.filter((i) => i.metBy !== 'direct_payment'));
        expect(dp.weekly + rest.weekly).toBe(all.weekly);
        expect(dp.oneOff + rest.oneOff).toBe(all.oneOff);
      }),
    );
  });
});

describe('the personal budget', () => {
  it('leaves the council to pay the cost less the person’s assessed contribution', () => {
    expect(personalBudget(25_000, 4_250)).toEqual({ weeklyCost: 25_000, weeklyContribution: 4_250, councilPays: 20_750 });
    expect(personalBudget(25_000, 0).councilPays).toBe(25_000);
    expect(personalBudget(25_000, 25_000).councilPays).toBe(0);
  });

  it('refuses a contribution above the cost, in plain English', () => {
    expect(personalBudgetProblem(10_000, 10_001)).toMatch(/contribution cannot be more than the weekly cost/);
    expect(() => personalBudget(10_000, 10_001)).toThrow(/cannot be more than the weekly cost/);
    expect(personalBudgetProblem(-1, 0)).toMatch(/cost cannot be less than £0/);
    expect(personalBudgetProblem(100, -1)).toMatch(/contribution cannot be less than £0/);
    expect(personalBudgetProblem(100, 100)).toBeNull();
  });
});

describe('an ongoing direct payment', () => {
  const budget = personalBudget(30_000, 5_000);

  it('is paid net of the contribution, 4 weeks at a time in advance by default', () => {
    expect(ongoingAmounts(20_000, 5_000, 'four_weekly')).toEqual({ grossWeekly: 20_000, weeklyContribution: 5_000, netWeekly: 15_000, perPayment: 60_000 });
    expect(ongoingAmounts(20_000, 5_000, 'weekly').perPayment).toBe(15_000);
    expect(() => ongoingAmounts(1_000, 1_001, 'weekly')).toThrow(/contribution cannot be more/);
  });

  it('fits inside the personal budget', () => {
    expect(ongoingDirectPaymentProblems(20_000, 5_000, budget)).toEqual({});
    expect(ongoingDirectPaymentProblems(30_001, 5_000, budget)).toEqual({ weekly_amount: expect.stringMatching(/personal budget/) });
    expect(ongoingDirectPaymentProblems(20_000, 5_001, budget)).toEqual({ weekly_contribution: expect.stringMatching(/assessed weekly contribution/) });
    expect(ongoingDirectPaymentProblems(3_000, 4_000, budget)).toEqual({ weekly_contribution: expect.stringMatching(/more than the weekly amount/) });
  });

  it('takes the whole assessed contribution from the payment where it can', () => {
    expect(suggestedContribution(20_000, budget)).toBe(5_000);
    expect(suggestedContribution(3_000, budget)).toBe(3_000);
  });
});
