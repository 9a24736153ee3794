import type { Pence } from './money.ts';

/**
 * The money in a care and support plan. Each outcome says how it is met and what that costs; an
 * ongoing plan has a personal budget: the weekly cost to the council of meeting the needs, split
 * into what the person contributes (after a financial assessment) and what the council pays.
 * One-off plans ("Connect and Enable") need no personal budget.
 */
export type PlanKind = 'one_off' | 'ongoing';
export type CostFrequency = 'none' | 'one_off' | 'weekly';
export type MetBy = 'strengths' | 'informal_support' | 'community' | 'council_service' | 'direct_payment';

export const MET_BY: readonly MetBy[] = ['strengths', 'informal_support', 'community', 'council_service', 'direct_payment'];
export const COST_FREQUENCIES: readonly CostFrequency[] = ['none', 'one_off', 'weekly'];

export type PlanCost = { metBy: MetBy | string; costPence: Pence; costFrequency: CostFrequency | string };
export type Costs = { weekly: Pence; oneOff: Pence };

/** A one-off plan is a single spend, so its outcomes cannot carry weekly costs. */
export function allowedCostFrequencies(kind: PlanKind): readonly CostFrequency[] {
  return kind === 'one_off' ? ['none', 'one_off'] : COST_FREQUENCIES;
}

/** What the outcomes cost, added up separately for weekly and one-off costs. */
export function costsByFrequency(items: readonly PlanCost[]): Costs {
  const out: Costs = { weekly: 0, oneOff: 0 };
  for (const item of items) {
    if (item.costFrequency === 'weekly') out.weekly += item.costPence;
    else if (item.costFrequency === 'one_off') out.oneOff += item.costPence;
  }
  return out;
}

/** The part of the plan's costs met by a direct payment: what the direct payment is for. */
export function directPaymentShare(items: readonly PlanCost[]): Costs {
  return costsByFrequency(items.filter((i) => i.metBy === 'direct_payment'));
}

export type PersonalBudget = { weeklyCost: Pence; weeklyContribution: Pence; councilPays: Pence };

/** Why a personal budget cannot stand, in plain English, or null when it can. */
export function personalBudgetProblem(weeklyCost: Pence, weeklyContribution: Pence): string | null {
  if (weeklyCost < 0) return 'The weekly cost cannot be less than £0';
  if (weeklyContribution < 0) return 'The weekly contribution cannot be less than £0';
  if (weeklyContribution > weeklyCost) return 'The person’s weekly contribution cannot be more than the weekly cost of their care and support';
  return null;
}

/** The council's part is whatever the person's assessed contribution leaves of the cost. */
export function personalBudget(weeklyCost: Pence, weeklyContribution: Pence): PersonalBudget {
  const problem = personalBudgetProblem(weeklyCost, weeklyContribution);
  if (problem) throw new RangeError(problem);
  return { weeklyCost, weeklyContribution, councilPays: weeklyCost - weeklyContribution };
}

export type PaymentFrequency = 'weekly' | 'four_weekly';

/** How much reaches the person each payment: the gross weekly amount less their contribution, per week paid. */
export function ongoingAmounts(grossWeekly: Pence, weeklyContribution: Pence, frequency: PaymentFrequency) {
  if (weeklyContribution > grossWeekly) throw new RangeError('The weekly contribution cannot be more than the weekly amount');
  const netWeekly = grossWeekly - weeklyContribution;
  return { grossWeekly, weeklyContribution, netWeekly, perPayment: frequency === 'weekly' ? netWeekly : netWeekly * 4 };
}

export type BudgetProblems = Partial<Record<'weekly_amount' | 'weekly_contribution', string>>;

/**
 * An ongoing direct payment is part of the personal budget: its gross weekly amount cannot be more
 * than the budget's weekly cost, and the contribution taken from it cannot be more than the
 * person's assessed contribution, nor more than the amount itself.
 */
export function ongoingDirectPaymentProblems(grossWeekly: Pence, weeklyContribution: Pence, budget: PersonalBudget): BudgetProblems {
  const problems: BudgetProblems = {};
  if (grossWeekly > budget.weeklyCost) problems.weekly_amount = 'The weekly amount cannot be more than the personal budget’s weekly cost';
  if (weeklyContribution > budget.weeklyContribution) problems.weekly_contribution = 'The contribution cannot be more than the person’s assessed weekly contribution';
  else if (weeklyContribution > grossWeekly) problems.weekly_contribution = 'The contribution cannot be more than the weekly amount';
  return problems;
}

/** The contribution to take from a new direct payment: the person's whole assessed contribution, up to the payment itself. */
export function suggestedContribution(grossWeekly: Pence, budget: PersonalBudget): Pence {
  return Math.min(grossWeekly, budget.weeklyContribution);
}
