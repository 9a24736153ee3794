import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { digitsOnly } from '../../domain/modulus-check.ts';

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The new details, in the words of the GOV.UK bank details pattern. Spaces and hyphens are allowed as typed. */
export const newBankDetailsForm = z.object({
  account_name: f.text('Enter the name on the account', 100, 'The name on the account must be 100 characters or fewer'),
  sort_code: z
    .preprocess(trimmed, z.string().min(1, { error: 'Enter a sort code' }))
    .transform((v, c) => (/^\d{6}$/.test(digitsOnly(v)) ? digitsOnly(v) : (c.addIssue({ code: 'custom', message: 'Enter a valid sort code, like 309430' }), z.NEVER))),
  account_number: z
    .preprocess(trimmed, z.string().min(1, { error: 'Enter an account number' }))
    .transform((v, c) =>
      /^\d{6,10}$/.test(digitsOnly(v)) ? digitsOnly(v) : (c.addIssue({ code: 'custom', message: 'Enter a valid account number, 6 to 10 digits, like 00733445' }), z.NEVER),
    ),
});

/** The second step: the person phoned on a number we already held, and the user's own password. */
export function confirmChangeForm(payeeName: string) {
  return z.object({
    verified: f
      .checkboxes(['yes'])
      .refine((v) => v.includes('yes'), { error: `Confirm that you phoned ${payeeName} on a number already on our records and they confirmed the new details` }),
    password: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().min(1, { error: 'Enter your password' }).max(200, { error: 'Enter your password' })),
  });
}

/** "309634" → "30-96-34". */
export function formatSortCode(sortCode: string): string {
  return sortCode.replace(/^(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3');
}
