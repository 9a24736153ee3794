import type { Database } from '../../platform/db/database.ts';
import { costsByFrequency, directPaymentShare } from '../../domain/personal-budget.ts';
import { statusName } from '../../domain/direct-payment-status.ts';
import { asCosts, budgetOf, directPaymentsForPlan, planItems, type Plan } from './queries.ts';
import { MET_BY_NAMES, PLAN_KIND_NAMES, PLAN_STATUS_NAMES, costText, nameOf } from './labels.ts';
import { amountText } from '../direct-payments/labels.ts';

/** Everything the plan page and the check-answers page show, worked out once. */
export async function planPage(db: Database, plan: Plan, opts: { canChange: boolean; canAddDirectPayment: boolean; returnTo?: 'agree' }) {
  const [items, directPayments] = await Promise.all([planItems(db, plan.id), directPaymentsForPlan(db, plan.id)]);
  const costs = asCosts(items);
  const neededByDirectPayment = items.filter((i) => i.met_by === 'direct_payment').map((i) => i.outcome);
  return {
    plan,
    personName: `${plan.given_name} ${plan.family_name}`,
    kindName: nameOf(PLAN_KIND_NAMES, plan.kind),
    statusName: nameOf(PLAN_STATUS_NAMES, plan.status),
    items: items.map((i) => ({
      ...i,
      metByName: nameOf(MET_BY_NAMES, i.met_by),
      cost: costText(i.cost_pence, i.cost_frequency),
    })),
    totals: costsByFrequency(costs),
    directPaymentShare: directPaymentShare(costs),
    budget: budgetOf(plan),
    neededByDirectPayment,
    directPayments: directPayments.map((dp) => ({ ...dp, statusName: statusName(dp.status), amount: amountText(dp) })),
    canChange: opts.canChange,
    canAddDirectPayment: opts.canAddDirectPayment && neededByDirectPayment.length > 0,
    returnTo: opts.returnTo ? `?returnTo=${opts.returnTo}` : '',
  };
}
