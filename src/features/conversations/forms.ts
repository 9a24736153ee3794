import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { ENGLAND_OUTCOMES, ENGLAND_OUTCOME_CODES, type EnglandOutcome } from '../../domain/eligibility.ts';
import type { TextSection } from './sections.ts';

const LONG = 10000;
const tooLong = `Must be ${LONG.toLocaleString('en-GB')} characters or fewer`;

const dateNotAfter = (today: string, missing: string, invalid: string, future: string) =>
  f.date(missing, invalid).refine((d) => d === 'invalid' || d <= today, { error: future });

export function newConversationForm(today: string) {
  return z.object({
    heldOn: dateNotAfter(today, 'Enter the date of the conversation', 'Date of the conversation must be a real date, like 23 11 2026', 'Date of the conversation must be today or in the past'),
  });
}

export function textSectionForm(section: TextSection) {
  return z.object({ answer: f.text(section.missing, LONG, tooLong) });
}

export function offerForm(today: string) {
  return z
    .object({
      dpOffered: f.yesNo('Select yes if you have offered direct payments'),
      dpOfferedOn: f.optionalDate('Date offered must be a real date, like 23 11 2026'),
      dpResponse: f.optionalText(LONG, tooLong),
      dpNotOfferedReason: f.optionalText(LONG, tooLong),
    })
    .superRefine((v, ctx) => {
      const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
      if (v.dpOffered) {
        if (!v.dpOfferedOn) issue('dpOfferedOn', 'Enter the date you offered direct payments');
        else if (v.dpOfferedOn > today) issue('dpOfferedOn', 'Date offered must be today or in the past');
        if (!v.dpResponse) issue('dpResponse', 'Enter what they said about direct payments');
      } else if (!v.dpNotOfferedReason) {
        issue('dpNotOfferedReason', 'Enter why direct payments have not been offered yet');
      }
    });
}

export const reasonField = (code: EnglandOutcome) => `reason-${code}`;

const NONE = 'none';

const outcomesChosen = f
  .checkboxes([...ENGLAND_OUTCOME_CODES, NONE] as [EnglandOutcome | typeof NONE, ...(EnglandOutcome | typeof NONE)[]])
  .refine((v) => v.length > 0, { error: 'Select the outcomes they are unable to achieve, or select none of these' })
  .refine((v) => !(v.includes(NONE) && v.length > 1), { error: 'Select the outcomes they are unable to achieve, or none of these, not both' });

// Every mistake is shown at once: the check for reasons runs even when another answer is missing.
const always = { when: () => true };

export const englandEligibilityForm = z
  .object({
    unable: outcomesChosen,
    ...Object.fromEntries(ENGLAND_OUTCOME_CODES.map((code) => [reasonField(code), f.optionalText(LONG, tooLong)])),
    significantImpact: f.yesNo('Select yes if there is, or is likely to be, a significant impact on their well-being'),
    impactReasons: f.text('Explain the impact on their well-being', LONG, tooLong),
  })
  .superRefine((v, ctx) => {
    const answers = v as unknown as Record<string, unknown>;
    const chosen = Array.isArray(answers.unable) ? (answers.unable as string[]) : [];
    for (const [code, name] of ENGLAND_OUTCOMES) {
      if (chosen.includes(code) && !answers[reasonField(code)]) {
        ctx.addIssue({ code: 'custom', path: [reasonField(code)], message: `Enter why they are unable to achieve: ${name.toLowerCase()}` });
      }
    }
  }, always)
  .transform((v) => {
    const reasons = v as unknown as Record<string, string>;
    return {
      outcomes: ENGLAND_OUTCOME_CODES.map((code) => {
        const unable = v.unable.includes(code);
        return { outcome: code, unable, reason: unable ? reasons[reasonField(code)]! : null };
      }),
      significantImpact: v.significantImpact,
      reasons: v.impactReasons,
    };
  });

export const walesEligibilityForm = z.object({
  canAndCanOnly: f.yesNo('Select yes if there are needs they can meet, and can only meet, with the council’s care and support'),
  reasons: f.text('Explain your decision', LONG, tooLong),
});
