import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';

const MAX_WEEKLY_PENCE = 10_000_000;

export const rateForm = z
  .object({
    from: f.date('Enter the date the new rate starts', 'The date the new rate starts must be a real date, like 5 4 2027'),
    weeklyAmount: f.money('Enter the new weekly amount', 'Enter the weekly amount in pounds, like 188.50', {
      min: 1,
      max: MAX_WEEKLY_PENCE,
      tooSmall: 'The weekly amount must be more than £0',
      tooBig: 'The weekly amount must be £100,000 or less',
    }),
    weeklyContribution: f.money('Enter the person’s weekly contribution, or 0 if they pay none', 'Enter the contribution in pounds, like 23.50', {
      min: 0,
      max: MAX_WEEKLY_PENCE,
      tooSmall: 'The contribution cannot be less than £0',
      tooBig: 'The contribution must be £100,000 or less',
    }),
    reason: f.text('Say why the rate is changing', 500, 'The reason must be 500 characters or fewer'),
  })
  .refine((v) => v.weeklyContribution <= v.weeklyAmount, { path: ['weeklyContribution'], message: 'The contribution cannot be more than the weekly amount' });

export const suspendForm = z.object({
  from: f.date('Enter the date payments are suspended from', 'The date must be a real date, like 1 12 2026'),
  reason: f.text('Say why payments are being suspended', 500, 'The reason must be 500 characters or fewer'),
});

export const resumeForm = z.object({
  from: f.date('Enter the date payments start again', 'The date must be a real date, like 4 1 2027'),
});

export const endForm = z.object({
  endsOn: f.date('Enter the last day payments cover', 'The date must be a real date, like 31 3 2027'),
  reason: f.text('Say why payments are ending', 500, 'The reason must be 500 characters or fewer'),
  confirmed: z.preprocess((v) => v === 'yes', z.boolean()),
});
