import { formatPounds, type Pence } from '../../domain/money.ts';
import type { CostFrequency, MetBy, PlanKind } from '../../domain/personal-budget.ts';

// The words practitioners and people use for the parts of a plan.
export const PLAN_KIND_NAMES: Record<PlanKind, string> = {
  one_off: 'One-off support (Connect and Enable)',
  ongoing: 'Ongoing support',
};

export const MET_BY_NAMES: Record<MetBy, string> = {
  strengths: 'The person’s own strengths',
  informal_support: 'Family, friends or neighbours',
  community: 'Community groups or services',
  council_service: 'A service the council arranges',
  direct_payment: 'A direct payment',
};

export const COST_FREQUENCY_NAMES: Record<CostFrequency, string> = {
  none: 'No cost',
  one_off: 'A one-off cost',
  weekly: 'A weekly cost',
};

export const PLAN_STATUS_NAMES: Record<string, string> = {
  draft: 'Draft',
  agreed: 'Agreed',
  replaced: 'Replaced',
};

export function costText(pence: Pence, frequency: string): string {
  if (frequency === 'weekly') return `${formatPounds(pence)} a week`;
  if (frequency === 'one_off') return `${formatPounds(pence)} one-off`;
  return 'No cost';
}

export function nameOf<T extends string>(names: Record<T, string>, value: string): string {
  return (names as Record<string, string>)[value] ?? value;
}
