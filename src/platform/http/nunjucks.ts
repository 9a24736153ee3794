import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import nunjucks from 'nunjucks';
import { formatDate } from '../../domain/dates.ts';
import { formatPounds } from '../../domain/money.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SRC = path.resolve(here, '../..');
export const GOVUK_DIST = path.resolve(SRC, '../node_modules/govuk-frontend/dist');

/**
 * Templates live beside their feature (`src/features/<feature>/views/…`) and are named from
 * `src/features`; shared layouts and macros live in `src/platform/views`.
 */
export function setUpNunjucks(app: express.Express): nunjucks.Environment {
  const env = nunjucks.configure(
    [path.join(SRC, 'platform/views'), path.join(SRC, 'features'), GOVUK_DIST],
    { autoescape: true, express: app, noCache: process.env.NODE_ENV === 'development' },
  );
  app.set('view engine', 'njk');
  env.addFilter('pounds', (pence: number | null | undefined) => (pence === null || pence === undefined ? '' : formatPounds(Number(pence))));
  env.addFilter('date', (d: string | Date | null | undefined) => {
    if (!d) return '';
    if (d instanceof Date) return formatDate(d.toISOString().slice(0, 10));
    return formatDate(d);
  });
  env.addFilter('dateTime', (d: Date | string | null | undefined) => {
    if (!d) return '';
    const at = d instanceof Date ? d : new Date(d);
    return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' }).format(at);
  });
  env.addFilter('dateParts', (d: string | null | undefined) => {
    const [year = '', month = '', day = ''] = (d ?? '').split('-');
    return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
  });
  // Builds the `items` of a GOV.UK radios or checkboxes component, ticking what was chosen.
  env.addFilter('toItems', (options: Record<string, string> | [string, string][], chosen: unknown) => {
    const entries = Array.isArray(options) ? options : Object.entries(options);
    const picked = Array.isArray(chosen) ? chosen.map(String) : chosen === undefined || chosen === null ? [] : [String(chosen)];
    return entries.map(([value, text]) => ({ value, text, checked: picked.includes(value), selected: picked.includes(value) }));
  });
  env.addFilter('errorFor', (errors: { fields?: Record<string, { text: string }> } | undefined, field: string) =>
    errors?.fields?.[field] ? { text: errors.fields[field]!.text } : undefined,
  );
  return env;
}
