import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';
import { penceToInput } from '../../domain/money.ts';
import { RULES, RULE_INFO, type Rule, type RuleSettings } from '../../domain/monitoring.ts';
import { MIN_CHALLENGE_DAYS } from '../../domain/surplus.ts';

const wholeNumber = (missing: string, invalid: string, min: number, max: number, range: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: missing }).min(1, { error: missing }).regex(/^\d+$/, { error: invalid }).transform(Number).refine((n) => n >= min && n <= max, { error: range }),
  );

function thresholdField(rule: Rule) {
  const info = RULE_INFO[rule];
  const title = info.title.toLowerCase();
  if (info.threshold === 'pence') {
    return f.money(`Enter the amount for ${title}`, `Enter the amount for ${title} in pounds, like 250`, {
      min: info.min, max: info.max, tooSmall: `The amount for ${title} must be £0 or more`, tooBig: `The amount for ${title} must be £100,000 or less`,
    });
  }
  const unit = info.threshold === 'months' ? 'months' : 'payments';
  return wholeNumber(
    `Enter the number of ${unit} for ${title}`,
    `The number of ${unit} for ${title} must be a whole number, like ${info.min + 1}`,
    info.min, info.max,
    `The number of ${unit} for ${title} must be between ${info.min} and ${info.max}`,
  );
}

/** The settings form: for each rule on/off, its threshold and its level; and the challenge period. */
export const settingsSchema = z.object({
  ...Object.fromEntries(RULES.flatMap((rule) => [
    [`${rule}-enabled`, f.yesNo(`Select whether to use the rule ‘${RULE_INFO[rule].title}’`)],
    [`${rule}-threshold`, thresholdField(rule)],
    [`${rule}-level`, f.choice(['medium', 'high'] as const, `Select the level for ‘${RULE_INFO[rule].title}’`)],
  ])),
  challengeDays: wholeNumber('Enter how many days people have to challenge a surplus notice', 'The number of days must be a whole number, like 28', MIN_CHALLENGE_DAYS, 90, `The number of days must be between ${MIN_CHALLENGE_DAYS} and 90`),
});

export function rulesFromForm(data: Record<string, unknown>): RuleSettings {
  return Object.fromEntries(RULES.map((rule) => [rule, {
    rule,
    enabled: data[`${rule}-enabled`] as boolean,
    threshold: data[`${rule}-threshold`] as number,
    level: data[`${rule}-level`] as 'medium' | 'high',
  }])) as RuleSettings;
}

export function formValuesFrom(rules: RuleSettings, challengeDays: number): Record<string, string> {
  const values: Record<string, string> = { challengeDays: String(challengeDays) };
  for (const rule of RULES) {
    const r = rules[rule];
    values[`${rule}-enabled`] = r.enabled ? 'yes' : 'no';
    values[`${rule}-threshold`] = RULE_INFO[rule].threshold === 'pence' ? penceToInput(r.threshold) : String(r.threshold);
    values[`${rule}-level`] = r.level;
  }
  return values;
}

export const concernSchema = z.object({
  concern: f.text('Enter the concern', 1000, 'The concern must be 1,000 characters or fewer'),
});
