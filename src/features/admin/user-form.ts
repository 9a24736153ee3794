import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { STAFF_ROLES, type Role } from '../../platform/auth/roles.ts';

export const MIN_PASSWORD_LENGTH = 12;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The rules for a council staff account, shared by the web form and `dp users add`. */
export const usernameField = f
  .text('Enter a username', 64, 'Username must be 64 characters or fewer')
  .transform((v) => v.toLowerCase())
  .refine((v) => USERNAME.test(v), { error: 'Username must be 2 to 64 letters, numbers, full stops, hyphens or underscores, starting with a letter or number' });

export const roleField = f.choice(STAFF_ROLES as unknown as [Role, ...Role[]], 'Select what they do');

export const passwordField = z
  .string({ error: 'Enter a password' })
  .min(1, { error: 'Enter a password' })
  .min(MIN_PASSWORD_LENGTH, { error: `Password must be ${MIN_PASSWORD_LENGTH} characters or more` })
  .max(200, { error: 'Password must be 200 characters or fewer' });

export const displayNameField = f.text('Enter their full name', 100, 'Full name must be 100 characters or fewer');

export const emailField = f
  .text('Enter their email address', 254, 'Email address must be 254 characters or fewer')
  .refine((v) => EMAIL.test(v), { error: 'Enter an email address in the correct format, like name@example.gov.uk' });

export const newUserForm = z.object({
  displayName: displayNameField,
  username: usernameField,
  email: emailField,
  role: roleField,
  password: passwordField,
});

export type NewUser = z.infer<typeof newUserForm>;
