import { z } from 'zod';
import { f, parseForm, type ErrorItem, type FormErrors, type FormResult } from '../../platform/http/validation.ts';

export const guidanceItemForm = z.object({
  title: f.text('Enter a title', 200, 'The title must be 200 characters or fewer'),
  body: f.text('Enter what the guidance says', 5000, 'The guidance must be 5,000 characters or fewer'),
  examples: f.optionalText(5000, 'The examples must be 5,000 characters or fewer'),
  // Welsh is optional; when left empty, Welsh-speaking people see the English, marked as English.
  title_cy: f.optionalText(200, 'The Welsh title must be 200 characters or fewer'),
  body_cy: f.optionalText(5000, 'The Welsh guidance must be 5,000 characters or fewer'),
  examples_cy: f.optionalText(5000, 'The Welsh examples must be 5,000 characters or fewer'),
});

export type GuidanceItemInput = z.infer<typeof guidanceItemForm>;

const FIELD_ORDER = ['title', 'body', 'examples', 'title_cy', 'body_cy', 'examples_cy'];

/**
 * The form, checked as a whole: besides each field's own rules, Welsh is all or nothing: a Welsh
 * title needs Welsh guidance and the other way round (examples may stay English-only), so a
 * person is never shown half an item in Welsh. Every problem is reported at once, in page order.
 */
export function parseGuidanceForm(body: unknown): FormResult<GuidanceItemInput> {
  const form = parseForm(guidanceItemForm, body);
  const raw = (body ?? {}) as Record<string, unknown>;
  const filled = (name: string) => typeof raw[name] === 'string' && (raw[name] as string).trim() !== '';
  const welsh: FormErrors = { list: [], fields: {} };
  if (filled('title_cy') || filled('body_cy') || filled('examples_cy')) {
    if (!filled('title_cy')) welsh.fields.title_cy = { text: 'Enter the title in Welsh, or leave all the Welsh fields empty' };
    if (!filled('body_cy')) welsh.fields.body_cy = { text: 'Enter what the guidance says in Welsh, or leave all the Welsh fields empty' };
  }
  if (form.ok && Object.keys(welsh.fields).length === 0) return form;
  const fields = { ...welsh.fields, ...(form.ok ? {} : form.errors.fields) };
  const list: ErrorItem[] = FIELD_ORDER.filter((name) => fields[name]).map((name) => ({ text: fields[name]!.text, href: `#${name}` }));
  return { ok: false, errors: { list, fields } };
}
