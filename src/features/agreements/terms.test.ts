import { describe, expect, it } from 'vitest';
import { accountSummary, agreementTerms, termsView, termsAsRow, type AgreementSource } from './terms.ts';

const oneOff: AgreementSource = {
  kind: 'one_off',
  purpose: 'An accessible cooker',
  amount_pence: 45000,
  weekly_amount_pence: null,
  weekly_contribution_pence: 0,
  payment_method: 'bank_account',
  payee: 'person',
  provider_name: null,
  account_number: '12345678',
  jurisdiction: 'england',
  date_of_birth: '1968-03-14',
  outcomes: [{ outcome: 'Cook my own meals', how: 'Buy a cooker' }],
  firstPaymentOn: '2026-11-23',
  assessedOn: '2026-09-01',
};

describe('the account summary', () => {
  it('shows only the last four digits of a bank account', () => {
    expect(accountSummary(oneOff)).toBe('Dedicated bank account ending 5678');
    expect(accountSummary({ ...oneOff, account_number: '1234 5678' })).toBe('Dedicated bank account ending 5678');
    expect(accountSummary({ ...oneOff, payee: 'representative' })).toBe('Dedicated bank account in the representative’s name ending 5678');
    expect(accountSummary({ ...oneOff, account_number: null })).toBe('Dedicated bank account (details to be confirmed)');
  });

  it('names a prepaid card or the managed-account provider', () => {
    expect(accountSummary({ ...oneOff, payment_method: 'prepaid_card' })).toBe('Prepaid card');
    expect(accountSummary({ ...oneOff, payment_method: 'managed_account', provider_name: 'Family First Co-operative' })).toBe('Managed account with Family First Co-operative');
  });
});

describe('the terms of an agreement', () => {
  it('pays a one-off once and checks back three months after the payment', () => {
    const terms = agreementTerms(oneOff);
    expect(terms).toMatchObject({ amountPence: 45000, frequency: 'once', reviewOn: '2027-02-23' });
    expect(terms.purpose).toBe('An accessible cooker\nCook my own meals: Buy a cooker');
    expect(terms.recordsToKeep).toContain('6 years');
  });

  it('pays an ongoing direct payment every 4 weeks, net of the contribution', () => {
    const terms = agreementTerms({ ...oneOff, kind: 'ongoing', amount_pence: null, weekly_amount_pence: 18800, weekly_contribution_pence: 2350 });
    expect(terms).toMatchObject({ amountPence: 65800, frequency: 'four_weekly', reviewOn: '2027-05-23' });
  });

  it('reviews a Welsh adult within twelve months of the assessment', () => {
    const terms = agreementTerms({ ...oneOff, kind: 'ongoing', amount_pence: null, weekly_amount_pence: 6000, jurisdiction: 'wales' });
    expect(terms.reviewOn).toBe('2027-09-01');
  });

  it('lays out the purpose, its outcomes and the review in plain words', () => {
    const view = termsView(termsAsRow(agreementTerms(oneOff)));
    expect(view).toMatchObject({
      amountText: '£450.00, paid once',
      purpose: 'An accessible cooker',
      outcomes: ['Cook my own meals: Buy a cooker'],
      reviewText: 'We will check back with you by 23 February 2027 to find out whether it has worked.',
      oneOff: true,
    });
  });
});
