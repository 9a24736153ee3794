import { z } from 'zod';
import { dateFromParts, isCalendarDate } from '../../domain/dates.ts';
import { parsePounds } from '../../domain/money.ts';

export type ErrorItem = { text: string; href: string };
export type FormErrors = { list: ErrorItem[]; fields: Record<string, { text: string }> };
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

/**
 * Validates a submitted form once, at the edge. Date inputs arrive as three boxes
 * (`name-day`, `name-month`, `name-year`) and are joined into 'YYYY-MM-DD' first; errors come
 * back in the shape the GOV.UK error summary and the field components want.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  opts: { dates?: string[] } = {},
): FormResult<z.infer<S>> {
  const input: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>) };
  for (const name of opts.dates ?? []) {
    const parts = ['day', 'month', 'year'].map((p) => String(input[`${name}-${p}`] ?? '').trim());
    if (parts.every((p) => p === '')) input[name] = '';
    else input[name] = dateFromParts(parts[0]!, parts[1]!, parts[2]!) ?? 'invalid';
  }
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FormErrors = { list: [], fields: {} };
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('-') || 'form';
    if (errors.fields[field]) continue;
    const href = (opts.dates ?? []).includes(field) ? `#${field}-day` : `#${field}`;
    errors.fields[field] = { text: issue.message };
    errors.list.push({ text: issue.message, href });
  }
  return { ok: false, errors };
}

/** Turns a single message about one field into the errors shape, for checks made after zod. */
export function fieldError(field: string, text: string, href = `#${field}`): FormErrors {
  return { list: [{ text, href }], fields: { [field]: { text } } };
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : v);

export const f = {
  /** Required text, trimmed, with a length limit. */
  text: (missing: string, max = 5000, tooLong = `Must be ${max} characters or fewer`) =>
    z.preprocess(text, z.string({ error: missing }).min(1, { error: missing }).max(max, { error: tooLong })),
  /** Optional text, trimmed; empty becomes ''. */
  optionalText: (max = 5000, tooLong = `Must be ${max} characters or fewer`) =>
    z.preprocess(text, z.string().max(max, { error: tooLong })),
  /** One of a set of radio values. */
  choice: <T extends readonly [string, ...string[]]>(values: T, missing: string) =>
    z.preprocess(text, z.enum(values, { error: missing })),
  /** A yes/no radio, as a boolean. */
  yesNo: (missing: string) =>
    z.preprocess(text, z.enum(['yes', 'no'], { error: missing })).transform((v) => v === 'yes'),
  /** A date from a GOV.UK date input (joined by parseForm). */
  date: (missing: string, invalid: string) =>
    z
      .string({ error: missing })
      .min(1, { error: missing })
      .refine((v) => v !== 'invalid' && isCalendarDate(v), { error: invalid }),
  optionalDate: (invalid: string) =>
    z
      .string()
      .optional()
      .transform((v) => v ?? '')
      .refine((v) => v === '' || (v !== 'invalid' && isCalendarDate(v)), { error: invalid }),
  /** An amount in pounds, typed as the person likes ("£1,200", "75.50"), as whole pence. */
  money: (missing: string, invalid: string, opts: { min?: number; max?: number; tooSmall?: string; tooBig?: string } = {}) =>
    z
      .preprocess(text, z.string({ error: missing }).min(1, { error: missing }))
      .transform((v, ctx) => {
        const pence = parsePounds(v);
        if (pence === null) {
          ctx.addIssue({ code: 'custom', message: invalid });
          return z.NEVER;
        }
        if (opts.min !== undefined && pence < opts.min) {
          ctx.addIssue({ code: 'custom', message: opts.tooSmall ?? invalid });
          return z.NEVER;
        }
        if (opts.max !== undefined && pence > opts.max) {
          ctx.addIssue({ code: 'custom', message: opts.tooBig ?? invalid });
          return z.NEVER;
        }
        return pence;
      }),
  /** Checkbox groups arrive as a string or an array; always read them as an array. */
  checkboxes: <T extends readonly [string, ...string[]]>(values: T) =>
    z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(values))),
};
