import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { optionalEmail, optionalPhone } from './person-form.ts';


/** A date on or before today: things recorded here have already happened. */
const pastDate = (today: string, missing: string, invalid: string, future: string) =>
  f.date(missing, invalid).refine((d) => d === 'invalid' || d <= today, { error: future });

export const INFORMAL_SUPPORT = {
  yes: 'Yes, they have said they are willing and able to give informal support',
  no: 'No, they are not willing or not able to',
  unknown: 'We have not talked about it yet',
} as const;

export const contactForm = z
  .object({
    name: f.text('Enter their name', 200, 'Name must be 200 characters or fewer'),
    relationship: f.text('Enter how they know the person, like husband, daughter or neighbour', 100, 'Relationship must be 100 characters or fewer'),
    phone: optionalPhone('Enter a phone number, like 01632 960 001 or 07700 900 982'),
    email: optionalEmail('Enter an email address in the correct format, like name@example.com'),
    informalSupport: f.choice(['yes', 'no', 'unknown'], 'Select whether they are willing and able to give informal support'),
    supportNotes: f.optionalText(2000, 'What support they give must be 2000 characters or fewer'),
  })
  // Runs even when another answer is missing, so every mistake is shown at once.
  .superRefine(
    (v, ctx) => {
      if (v.informalSupport === 'yes' && !v.supportNotes) {
        ctx.addIssue({ code: 'custom', path: ['supportNotes'], message: 'Enter what support they are willing and able to give' });
      }
    },
    { when: () => true },
  );

export function representativeForm(kinds: readonly [string, ...string[]]) {
  return z.object({
    name: f.text('Enter their name', 200, 'Name must be 200 characters or fewer'),
    relationship: f.text('Enter how they know the person, like daughter or friend', 100, 'Relationship must be 100 characters or fewer'),
    kind: f.choice(kinds, 'Select what kind of representative they are'),
    dateOfBirth: f.optionalDate('Date of birth must be a real date, like 2 7 1979'),
    receivesPayment: f.yesNo('Select yes if they will receive the direct payment'),
    notes: f.optionalText(2000, 'Notes must be 2000 characters or fewer'),
  });
}

export function advocacyForm(today: string) {
  return z
    .object({
      offeredOn: pastDate(today, 'Enter the date advocacy was offered', 'Date offered must be a real date, like 2 9 2026', 'Date offered must be today or in the past'),
      accepted: f.yesNo('Select yes if they accepted an advocate'),
      advocateName: f.optionalText(200, 'Advocate’s name must be 200 characters or fewer'),
      organisation: f.optionalText(200, 'Organisation must be 200 characters or fewer'),
      notes: f.optionalText(2000, 'Notes must be 2000 characters or fewer'),
    });
}

export const INFORMATION_FORMATS = {
  printed: 'Printed plain-English information',
  read_together: 'Read through together',
  easy_read: 'Easy read',
  large_print: 'Large print',
  welsh: 'In Welsh',
  email: 'By email',
  audio: 'Read aloud or audio',
} as const;

export function informationForm(today: string) {
  return z.object({
    givenOn: pastDate(today, 'Enter the date the information was given', 'Date given must be a real date, like 2 9 2026', 'Date given must be today or in the past'),
    format: f.choice(Object.keys(INFORMATION_FORMATS) as [keyof typeof INFORMATION_FORMATS, ...(keyof typeof INFORMATION_FORMATS)[]], 'Select how the information was given'),
  });
}
