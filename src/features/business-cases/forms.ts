import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { MAX_HORIZON_MONTHS, MIN_HORIZON_MONTHS } from '../../domain/cost-comparison.ts';

export const proposalForm = z.object({
  proposal: f.text('Say what is proposed', 5000),
  why_necessary: f.text('Say why it is necessary', 5000),
});

export const contextForm = z.object({
  context_family: f.text('Say what family and friends do, or that there is no one willing and able to help', 5000),
  context_community: f.text('Say what the community offers, or that nothing nearby fits', 5000),
  context_agencies: f.text('Say which other agencies are involved, or that there are none', 5000),
});

export const outcomesForm = z.object({
  outcomes_expected: f.text('Say what outcomes are expected', 5000),
});

const MAX_ONE_OFF = 100_000_000; // £1,000,000
const MAX_WEEKLY = 10_000_000; // £100,000 a week

export const optionForm = z.object({
  description: f.text('Describe this option', 200, 'The description must be 200 characters or fewer'),
  one_off: f.money('Enter the one-off cost, or 0 if there is none', 'Enter the one-off cost as an amount of money, like 450 or 450.00', {
    min: 0,
    max: MAX_ONE_OFF,
    tooSmall: 'The one-off cost cannot be less than £0',
    tooBig: 'The one-off cost must be £1,000,000 or less',
  }),
  weekly: f.money('Enter the weekly cost, or 0 if there is none', 'Enter the weekly cost as an amount of money, like 156 or 156.00', {
    min: 0,
    max: MAX_WEEKLY,
    tooSmall: 'The weekly cost cannot be less than £0',
    tooBig: 'The weekly cost must be £100,000 or less',
  }),
  notes: f.optionalText(2000),
});

const monthsMessage = `Enter a number of months from ${MIN_HORIZON_MONTHS} to ${MAX_HORIZON_MONTHS}`;
export const periodForm = z.object({
  horizon_months: z
    .preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1, { error: 'Enter the number of months to compare costs over' }))
    .refine((v) => /^\d{1,3}$/.test(v), { error: 'Enter the number of months as a whole number, like 12' })
    .transform(Number)
    .refine((n) => n >= MIN_HORIZON_MONTHS && n <= MAX_HORIZON_MONTHS, { error: monthsMessage }),
});
