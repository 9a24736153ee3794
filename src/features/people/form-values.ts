/**
 * Helpers for putting stored values back into form fields, in the shape the forms post them, so
 * that a form shows the same thing whether it is being edited or re-shown after an error.
 */
export function dateFields(name: string, iso: string | null | undefined): Record<string, string> {
  const [year = '', month = '', day = ''] = (iso ?? '').split('-');
  return { [`${name}-day`]: day.replace(/^0/, ''), [`${name}-month`]: month.replace(/^0/, ''), [`${name}-year`]: year };
}

export function yesNo(value: boolean | null | undefined): string {
  return value === true ? 'yes' : value === false ? 'no' : '';
}

/** What was typed, as strings, for re-showing a form after an error (no _csrf). */
export function typed(body: unknown): Record<string, unknown> {
  const { _csrf: _, ...rest } = (body ?? {}) as Record<string, unknown>;
  return rest;
}
