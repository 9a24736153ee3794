import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { formatPounds, parsePounds } from '../../domain/money.ts';
import { METHODS, REASONS, type Method, type Reason } from '../../domain/surplus.ts';

const MAX_PENCE = 100_000_00;

export const commitmentSchema = z.object({
  amount: f.money('Enter how much is already committed', 'Enter the amount in pounds, like 640', { min: 0, max: MAX_PENCE, tooSmall: 'The amount must be £0 or more', tooBig: 'The amount must be £100,000 or less' }),
  committedFor: f.text('Enter what the money is committed for', 500, 'What it is committed for must be 500 characters or fewer'),
});

/** The conversation: why the money is unspent, and whether to recover any of it (at most the surplus). */
export function conversationSchema(surplusPence: number, today: string) {
  return z
    .object({
      heldOn: f
        .date('Enter the date of the conversation', 'The date of the conversation must be a real date, like 20 11 2026')
        .refine((v) => v <= today, { error: 'The date of the conversation must be today or in the past' }),
      reason: f.choice(Object.keys(REASONS) as [Reason, ...Reason[]], 'Select why the money is unspent'),
      notes: f.text('Enter what you talked about', 2000, 'What you talked about must be 2,000 characters or fewer'),
      keep: f.yesNo('Select whether the person keeps the money'),
      amount: f.optionalText(20),
      method: f.optionalText(40),
    })
    .transform((v, ctx) => {
      if (v.keep) return { ...v, recoverPence: null, method: null };
      const pence = v.amount ? parsePounds(v.amount) : null;
      if (!v.amount) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Enter how much to recover' });
      else if (pence === null) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Enter the amount to recover in pounds, like 250' });
      else if (pence <= 0) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'The amount to recover must be more than £0' });
      else if (pence > surplusPence) ctx.addIssue({ code: 'custom', path: ['amount'], message: `The amount to recover must be no more than the surplus, ${formatPounds(surplusPence)}` });
      if (!(v.method in METHODS)) ctx.addIssue({ code: 'custom', path: ['method'], message: 'Select how the money will be recovered' });
      return { ...v, recoverPence: pence, method: (v.method in METHODS ? v.method : null) as Method | null };
    });
}

export const challengeDecisionSchema = z.object({
  upheld: f.yesNo('Select whether the challenge is upheld'),
  decision: f.text('Enter the reasons for the decision', 2000, 'The reasons must be 2,000 characters or fewer'),
});
