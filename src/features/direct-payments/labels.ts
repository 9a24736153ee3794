import { formatPounds } from '../../domain/money.ts';
import { ongoingAmounts, type PaymentFrequency } from '../../domain/personal-budget.ts';

export const KIND_NAMES: Record<string, string> = { one_off: 'One-off', ongoing: 'Ongoing' };

export const MEETS_NEEDS_NAMES: Record<string, string> = {
  all: 'All of the needs in the plan',
  part: 'Part of the needs, beside services the council arranges',
};

export const PAYMENT_METHOD_NAMES: Record<string, string> = {
  bank_account: 'A dedicated bank account',
  prepaid_card: 'A prepaid card',
  managed_account: 'A managed account with a provider',
};

export const REPRESENTATIVE_KIND_NAMES: Record<string, string> = {
  nominated: 'nominated person',
  authorised: 'authorised person',
  suitable: 'suitable person',
  parental_responsibility: 'parental responsibility',
};

export const FREQUENCY_NAMES: Record<string, string> = {
  once: 'Once',
  four_weekly: 'Every 4 weeks, in advance',
  weekly: 'Every week, in advance',
};

/** The colour of a status tag: grey before and after, yellow while waiting, red when declined, green when going ahead. */
export function statusTagClass(status: string): string {
  if (status === 'draft' || status === 'ended') return 'govuk-tag--grey';
  if (status === 'declined') return 'govuk-tag--red';
  if (status === 'at_panel' || status === 'more_information' || status === 'suspended') return 'govuk-tag--yellow';
  return 'govuk-tag--green';
}

type Amounts = { kind: string; amount_pence: number | null; weekly_amount_pence: number | null; weekly_contribution_pence: number; frequency: string };

/** What is paid and how often, in a few words: "£450.00 once", "£600.00 every 4 weeks". */
export function amountText(dp: Amounts): string {
  if (dp.kind === 'one_off') return `${formatPounds(dp.amount_pence ?? 0)} once`;
  const frequency: PaymentFrequency = dp.frequency === 'weekly' ? 'weekly' : 'four_weekly';
  const { perPayment } = ongoingAmounts(dp.weekly_amount_pence ?? 0, dp.weekly_contribution_pence, frequency);
  return `${formatPounds(perPayment)} ${frequency === 'weekly' ? 'every week' : 'every 4 weeks'}`;
}
