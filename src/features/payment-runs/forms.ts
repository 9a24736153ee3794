import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { RETURN_REASONS } from './record-return.ts';
import { FILE_FORMATS } from './bacs-file.ts';

export const runForm = z.object({
  paymentDate: f.date('Enter the date the money should arrive', 'The date must be a real date, like 27 11 2026'),
});

export const approveForm = z.object({
  // Taken exactly as typed, as at sign-in.
  password: z.string({ error: 'Enter your password' }).min(1, { error: 'Enter your password' }).max(200, { error: 'Enter your password' }),
});

export const fileForm = z.object({
  format: f.choice(Object.keys(FILE_FORMATS) as ['std18', 'std18-data'], 'Choose the kind of file'),
});

export const returnForm = z.object({
  reason: f.choice(Object.keys(RETURN_REASONS) as [keyof typeof RETURN_REASONS, ...(keyof typeof RETURN_REASONS)[]], 'Choose why the bank sent the payment back'),
});

const digits = (n: number, missing: string, wrong: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(/[\s-]/g, '') : v), z.string({ error: missing }).min(1, { error: missing }).regex(new RegExp(`^\\d{${n}}$`), { error: wrong }));

const bacsName = (missing: string, what: string) =>
  f.text(missing, 18, `${what} must be 18 characters or fewer`).refine((v) => /^[A-Za-z0-9.&/\- ]+$/.test(v), {
    error: `${what} can only use letters, numbers, spaces and . & / -`,
  });

export const settingsForm = z.object({
  frequency: f.choice(['four_weekly', 'weekly', 'monthly'] as const, 'Choose how often ongoing direct payments are paid'),
  contributions: f.choice(['net', 'gross'] as const, 'Choose how people’s contributions are handled'),
  cycleAnchorOn: f.optionalDate('The cycle date must be a real date, like 16 11 2026'),
  contingencyWeeks: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string().regex(/^\d{1,2}$/, { error: 'Enter the contingency as a whole number of weeks, from 0 to 52' }).transform(Number).refine((n) => n <= 52, { error: 'Enter the contingency as a whole number of weeks, from 0 to 52' }),
  ),
  serviceUserNumber: digits(6, 'Enter the council’s Bacs service user number', 'The service user number must be 6 digits'),
  serviceUserName: bacsName('Enter the council’s name as Bacs knows it', 'The name'),
  sortCode: digits(6, 'Enter the sort code of the council’s account', 'The sort code must be 6 digits, like 30-96-34'),
  accountNumber: digits(8, 'Enter the council’s account number', 'The account number must be 8 digits'),
  accountName: bacsName('Enter the name of the council’s account', 'The account name'),
});
