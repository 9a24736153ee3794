import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { ongoingDirectPaymentProblems, type PersonalBudget } from '../../domain/personal-budget.ts';
import { optionalPounds } from '../plans/forms.ts';
import { normaliseAccountNumber, normaliseSortCode } from './bank-details.ts';
import { addMonths } from '../../domain/dates.ts';

export type DirectPaymentFormContext = {
  kind: 'one_off' | 'ongoing';
  budget: PersonalBudget | null;
  /** Representatives who may receive the money for the person (receives_payment, current). */
  representativeIds: readonly string[];
  /** Why the person cannot receive it themselves (a child, or lacking capacity), or null when they can. */
  personCannotReceive: string | null;
  today: string;
};

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const MAX_PENCE = 10_000_000;
const amount = (missing: string, invalid: string) =>
  f.money(missing, invalid, { min: 1, max: MAX_PENCE, tooSmall: 'The amount must be more than £0', tooBig: 'The amount must be £100,000 or less' });

/**
 * The direct-payment form. Which questions apply depends on the plan (one-off or ongoing) and on
 * the payment method chosen, so the shape is built for this submission: every problem is then
 * reported at once, not one round at a time.
 */
export function directPaymentForm(ctx: DirectPaymentFormContext, raw: Record<string, unknown>) {
  const method = trimmed(raw.payment_method);
  const shape = {
    meets_needs: f.choice(['all', 'part'], 'Select whether the direct payment meets all or part of the needs'),
    purpose: f.text('Enter what the direct payment is for', 2000, 'What it is for must be 2,000 characters or fewer'),
    payment_method: f.choice(['bank_account', 'prepaid_card', 'managed_account'], 'Select how the money will be paid'),
    payee: z.preprocess(trimmed, z.string()).refine(
      (v) => v === 'person' || v === 'provider' || (v.startsWith('representative:') && ctx.representativeIds.includes(v.slice('representative:'.length))),
      { error: 'Select who will receive the money' },
    ).refine((v) => v !== 'person' || ctx.personCannotReceive === null, { error: ctx.personCannotReceive ?? '' }),
    starts_on: f
      .date('Enter the date the direct payment starts', 'The start date must be a real date, like 1 12 2026')
      .refine((d) => d >= ctx.today, { error: 'The start date must be today or in the future' })
      .refine((d) => d <= addMonths(ctx.today, 12), { error: 'The start date must be within the next 12 months' }),
    ...(ctx.kind === 'one_off'
      ? { amount: amount('Enter the amount', 'Enter the amount in pounds, like 450 or 450.50') }
      : {
          weekly_amount: amount('Enter the weekly amount', 'Enter the weekly amount in pounds, like 150 or 150.50'),
          weekly_contribution: optionalPounds('Enter the weekly contribution in pounds, like 20 or 20.50'),
        }),
    ...(method === 'managed_account' ? { provider_name: f.text('Enter the name of the managed-account provider', 200, 'The provider’s name must be 200 characters or fewer') } : {}),
    ...(method === 'bank_account'
      ? {
          account_name: f.text('Enter the name on the account', 100, 'The name on the account must be 100 characters or fewer'),
          sort_code: z
            .preprocess(trimmed, z.string().min(1, { error: 'Enter a sort code' }))
            .transform((v, c) => normaliseSortCode(v) ?? (c.addIssue({ code: 'custom', message: 'Enter a valid sort code, like 309430' }), z.NEVER)),
          account_number: z
            .preprocess(trimmed, z.string().min(1, { error: 'Enter an account number' }))
            .transform((v, c) => normaliseAccountNumber(v) ?? (c.addIssue({ code: 'custom', message: 'Enter a valid account number, 6 to 10 digits, like 00733445' }), z.NEVER)),
        }
      : {}),
  };
  return z.object(shape).superRefine(
    (v: Record<string, unknown>, c) => {
      if (v.payment_method === 'managed_account' && typeof v.payee === 'string' && v.payee !== 'provider') {
        c.addIssue({ code: 'custom', path: ['payee'], message: 'A managed account is paid to its provider: select the managed-account provider' });
      }
      if (v.payee === 'provider' && typeof v.payment_method === 'string' && v.payment_method !== 'managed_account') {
        c.addIssue({ code: 'custom', path: ['payee'], message: 'Only a managed account is paid to a provider: select who else receives it, or choose a managed account' });
      }
      if (ctx.kind === 'ongoing' && ctx.budget && typeof v.weekly_amount === 'number' && (v.weekly_contribution === null || typeof v.weekly_contribution === 'number')) {
        const problems = ongoingDirectPaymentProblems(v.weekly_amount, v.weekly_contribution ?? 0, ctx.budget);
        for (const [field, message] of Object.entries(problems)) c.addIssue({ code: 'custom', path: [field], message });
      }
    },
    { when: () => true },
  );
}

export type DirectPaymentFormData = {
  meets_needs: 'all' | 'part';
  purpose: string;
  payment_method: 'bank_account' | 'prepaid_card' | 'managed_account';
  payee: string;
  starts_on: string;
  amount?: number;
  weekly_amount?: number;
  weekly_contribution?: number | null;
  provider_name?: string;
  account_name?: string;
  sort_code?: string;
  account_number?: string;
};
