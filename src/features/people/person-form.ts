import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { ageOn } from '../../domain/dates.ts';
import { checkPersonKind, type PersonKind } from '../../domain/who-can-receive.ts';
import { dateFields, yesNo } from './form-values.ts';

export const PERSON_KINDS = {
  adult: 'An adult who needs care and support',
  carer: 'A carer',
  child: 'A disabled child',
} as const;

export const LANGUAGES = { en: 'English', cy: 'Welsh (Cymraeg)' } as const;

const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;
const PHONE = /^[0-9+() -]{7,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const optionalPhone = (invalid: string) => f.optionalText(20).refine((v) => v === '' || PHONE.test(v), { error: invalid });
export const optionalEmail = (invalid: string) => f.optionalText(254).refine((v) => v === '' || EMAIL.test(v), { error: invalid });

/** The person's details, checked against today so a date of birth and the kind of record agree. */
export function personForm(today: string) {
  return z
    .object({
      givenName: f.text('Enter their first name', 100, 'First name must be 100 characters or fewer'),
      familyName: f.text('Enter their last name', 100, 'Last name must be 100 characters or fewer'),
      preferredName: f.optionalText(100, 'The name they like to be called must be 100 characters or fewer'),
      dateOfBirth: f
        .date('Enter their date of birth', 'Date of birth must be a real date, like 14 3 1968')
        .refine((d) => d <= today, { error: 'Date of birth must be in the past' })
        .refine((d) => ageOn(d, today) <= 120, { error: 'Date of birth must be within the last 120 years' }),
      kind: f.choice(['adult', 'carer', 'child'], 'Select who they are'),
      address: f.optionalText(500, 'Address must be 500 characters or fewer'),
      postcode: f
        .optionalText(10)
        .transform((v) => v.toUpperCase())
        .refine((v) => v === '' || POSTCODE.test(v), { error: 'Enter a real postcode, like SY1 1AA' }),
      phone: optionalPhone('Enter a phone number, like 01632 960 001 or 07700 900 982'),
      email: optionalEmail('Enter an email address in the correct format, like name@example.com'),
      preferredLanguage: f.choice(['en', 'cy'], 'Select the language they prefer'),
      communicationNeeds: f.optionalText(2000, 'Communication needs must be 2000 characters or fewer'),
      hasCapacity: f.yesNo('Select yes if they have capacity to decide about a direct payment'),
    })
    .superRefine((v, ctx) => {
      if (v.dateOfBirth > today) return;
      const fit = checkPersonKind(v.kind as PersonKind, v.dateOfBirth, today);
      if (!fit.ok) ctx.addIssue({ code: 'custom', path: ['kind'], message: fit.reason });
    });
}

export type PersonForm = z.infer<ReturnType<typeof personForm>>;

const orNull = (v: string) => (v === '' ? null : v);

export function personColumns(p: PersonForm) {
  return {
    given_name: p.givenName,
    family_name: p.familyName,
    preferred_name: orNull(p.preferredName),
    date_of_birth: p.dateOfBirth,
    kind: p.kind,
    address: orNull(p.address),
    postcode: orNull(p.postcode),
    phone: orNull(p.phone),
    email: orNull(p.email),
    preferred_language: p.preferredLanguage,
    communication_needs: orNull(p.communicationNeeds),
    has_capacity: p.hasCapacity,
  };
}

type StoredPerson = ReturnType<typeof personColumns>;

export function personValues(p: StoredPerson): Record<string, unknown> {
  return {
    givenName: p.given_name,
    familyName: p.family_name,
    preferredName: p.preferred_name ?? '',
    ...dateFields('dateOfBirth', p.date_of_birth),
    kind: p.kind,
    address: p.address ?? '',
    postcode: p.postcode ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    preferredLanguage: p.preferred_language,
    communicationNeeds: p.communication_needs ?? '',
    hasCapacity: yesNo(p.has_capacity),
  };
}

/** Which fields an edit changed, by name only: the audit log records that a change happened, not the personal data. */
export function changedFields(before: StoredPerson, after: StoredPerson): string[] {
  return (Object.keys(after) as (keyof StoredPerson)[]).filter((k) => before[k] !== after[k]);
}
