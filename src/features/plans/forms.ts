import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { parsePounds } from '../../domain/money.ts';
import { allowedCostFrequencies, MET_BY, personalBudgetProblem, type MetBy, type PlanKind } from '../../domain/personal-budget.ts';

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** An amount in pounds that may be left blank (null); anything typed must be an amount. */
export const optionalPounds = (invalid: string) =>
  z.preprocess(trimmed, z.string()).transform((v, ctx) => {
    if (v === '') return null;
    const pence = parsePounds(v);
    if (pence === null || pence < 0) {
      ctx.addIssue({ code: 'custom', message: invalid });
      return z.NEVER;
    }
    return pence;
  });

export const newPlanForm = z.object({
  kind: f.choice(['one_off', 'ongoing'], 'Select whether the plan is for one-off or ongoing support'),
  co_produced_with: f.text('Enter who the plan was written with', 500, 'Who the plan was written with must be 500 characters or fewer'),
});

export function planItemForm(kind: PlanKind) {
  const frequencies = allowedCostFrequencies(kind) as [string, ...string[]];
  return z
    .object({
      outcome: f.text('Enter the outcome in the person’s own words', 1000, 'The outcome must be 1,000 characters or fewer'),
      met_by: f.choice(MET_BY as [MetBy, ...MetBy[]], 'Select how the outcome will be met'),
      how: f.text('Enter what will happen to meet the outcome', 2000, 'What will happen must be 2,000 characters or fewer'),
      cost_frequency: f.choice(frequencies, kind === 'one_off' ? 'Select whether there is a one-off cost' : 'Select whether there is a cost, and how often'),
      cost: optionalPounds('Enter the cost in pounds, like 45 or 45.50'),
    })
    .superRefine((v, ctx) => {
      if (!frequencies.includes(String(v.cost_frequency)) || (v.cost !== null && typeof v.cost !== 'number')) return;
      if (v.cost_frequency === 'none' && v.cost) ctx.addIssue({ code: 'custom', path: ['cost'], message: 'Leave the cost blank when there is no cost, or choose how often it is paid' });
      if (v.cost_frequency !== 'none' && !v.cost) ctx.addIssue({ code: 'custom', path: ['cost'], message: 'Enter the cost, more than £0' });
    }, { when: () => true });
}

export const budgetForm = z
  .object({
    weekly_cost: f.money('Enter the weekly cost of meeting the person’s needs', 'Enter the weekly cost in pounds, like 250 or 250.50', { min: 0, max: 10_000_000, tooSmall: 'The weekly cost cannot be less than £0', tooBig: 'The weekly cost must be £100,000 or less' }),
    weekly_contribution: f.money('Enter the person’s weekly contribution, or 0 if they pay nothing', 'Enter the weekly contribution in pounds, like 42 or 42.50', { min: 0, tooSmall: 'The weekly contribution cannot be less than £0' }),
  })
  .superRefine((v, ctx) => {
    if (typeof v.weekly_cost !== 'number' || typeof v.weekly_contribution !== 'number') return;
    const problem = personalBudgetProblem(v.weekly_cost, v.weekly_contribution);
    if (problem) ctx.addIssue({ code: 'custom', path: ['weekly_contribution'], message: problem });
  }, { when: () => true });

export const agreeForm = z.object({
  confirm: f.checkboxes(['yes']).refine((v) => v.includes('yes'), { error: 'Confirm that the person agrees with the plan' }),
});
