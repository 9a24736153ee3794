import { formatPounds } from '../../domain/money.ts';
import { formatDate } from '../../domain/dates.ts';
import { netAmountForFullPeriod } from '../../domain/schedule.ts';
import { firstReviewDue } from '../../domain/review-dates.ts';

// What a direct payment agreement says, worked out from the direct payment. Pure, so the page,
// the PDF and the tests all read the same words.

export type AgreementSource = {
  kind: string;
  purpose: string;
  amount_pence: number | null;
  weekly_amount_pence: number | null;
  weekly_contribution_pence: number;
  payment_method: string;
  payee: string;
  provider_name: string | null;
  account_number: string | null;
  jurisdiction: 'england' | 'wales';
  date_of_birth: string;
  outcomes: Array<{ outcome: string; how: string }>;
  firstPaymentOn: string;
  assessedOn: string | null;
};

export type AgreementTerms = {
  amountPence: number;
  frequency: 'once' | 'four_weekly';
  accountSummary: string;
  purpose: string;
  recordsToKeep: string;
  reviewOn: string;
};

/** "Dedicated bank account ending 5678": enough to recognise the account, never the whole number. */
export function accountSummary(dp: Pick<AgreementSource, 'payment_method' | 'provider_name' | 'account_number' | 'payee'>): string {
  const last4 = (dp.account_number ?? '').replace(/\D/g, '').slice(-4);
  const forWhom = dp.payee === 'representative' ? ' in the representative’s name' : '';
  if (dp.payment_method === 'prepaid_card') return `Prepaid card${forWhom}`;
  if (dp.payment_method === 'managed_account') return `Managed account with ${dp.provider_name?.trim() || 'a managed-account provider'}`;
  return last4.length === 4 ? `Dedicated bank account${forWhom} ending ${last4}` : `Dedicated bank account${forWhom} (details to be confirmed)`;
}

export function recordsToKeep(kind: string): string {
  if (kind === 'one_off') {
    return [
      'Keep the receipt for what you buy and the bank statement that shows the payment. Keep them for 6 years.',
      'You can note what you bought in this service, or on paper if you prefer. We will only ask to see your records if we need to, and we will give you notice.',
    ].join('\n');
  }
  return [
    'Keep receipts, invoices and any timesheets or payslips for what you buy, and the statements for the account. Keep them for 6 years.',
    'Note what you spend in this service, or on paper if you prefer. Keep a little in the account for unexpected costs; if money builds up, we will talk to you about why before anything changes.',
    'We will look at your records with you at your review. We will give you notice if we need to see them at any other time.',
  ].join('\n');
}

/** The whole agreement: amount and frequency, account, what it is for, records to keep and the review (or check-back) date. */
export function agreementTerms(dp: AgreementSource): AgreementTerms {
  const oneOff = dp.kind === 'one_off';
  const review = firstReviewDue({
    jurisdiction: dp.jurisdiction,
    kind: oneOff ? 'one_off' : 'ongoing',
    firstPaymentOn: dp.firstPaymentOn,
    assessedOn: dp.assessedOn,
    dateOfBirth: dp.date_of_birth,
  });
  const purpose = [dp.purpose.trim(), ...dp.outcomes.map((o) => `${o.outcome.trim()}: ${o.how.trim()}`)].join('\n');
  return {
    amountPence: oneOff ? dp.amount_pence! : netAmountForFullPeriod('four_weekly', dp.weekly_amount_pence!, dp.weekly_contribution_pence),
    frequency: oneOff ? 'once' : 'four_weekly',
    accountSummary: accountSummary(dp),
    purpose,
    recordsToKeep: recordsToKeep(dp.kind),
    reviewOn: review.dueOn,
  };
}

/** "£658.00 every 4 weeks" or "£450.00, paid once". */
export function amountText(amountPence: number, frequency: string): string {
  return frequency === 'four_weekly' ? `${formatPounds(amountPence)} every 4 weeks, paid in advance` : `${formatPounds(amountPence)}, paid once`;
}

export function reviewText(reviewOn: string, frequency: string): string {
  return frequency !== 'four_weekly'
    ? `We will check back with you by ${formatDate(reviewOn)} to find out whether it has worked.`
    : `We will review the direct payment with you by ${formatDate(reviewOn)}, and regularly after that.`;
}

/** An agreement's words laid out for a page or the PDF; the first line of `purpose` is the purpose, the rest its outcomes. */
export function termsView(a: { amount_pence: number; frequency: string; account_summary: string; purpose: string; records_to_keep: string; review_on: string }) {
  const [purpose = '', ...outcomes] = a.purpose.split('\n');
  return {
    amountText: amountText(a.amount_pence, a.frequency),
    accountSummary: a.account_summary,
    purpose,
    outcomes,
    recordsToKeep: a.records_to_keep.split('\n'),
    reviewText: reviewText(a.review_on, a.frequency),
    oneOff: a.frequency !== 'four_weekly',
  };
}

export function termsAsRow(t: AgreementTerms) {
  return { amount_pence: t.amountPence, frequency: t.frequency, account_summary: t.accountSummary, purpose: t.purpose, records_to_keep: t.recordsToKeep, review_on: t.reviewOn };
}
