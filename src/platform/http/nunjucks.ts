import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import nunjucks from 'nunjucks';
import { formatDate } from '../../domain/dates.ts';
import { formatPounds } from '../../domain/money.ts';
import { formatDateIn, translator } from '../i18n/index.ts';

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
  // `t` normally comes from res.locals (setUpLanguage); this global answers where it does not, such
  // as a page rendered before the language is known, or a macro imported without context.
  env.addGlobal('t', function (this: { ctx?: { lang?: string } } | undefined, key: string, vars?: Record<string, unknown>) {
    return translator(this?.ctx?.lang === 'cy' ? 'cy' : 'en')(key, vars);
  });
  env.addFilter('pounds', (pence: number | null | undefined) => (pence === null || pence === undefined ? '' : formatPounds(Number(pence))));
  // Dates in the page's language: Nunjucks calls filters with the template context as `this`.
  env.addFilter('date', function (this: { ctx?: { lang?: string } } | undefined, d: string | Date | null | undefined) {
    if (!d) return '';
    const iso = d instanceof Date ? d.toISOString().slice(0, 10) : d;
    return this?.ctx?.lang === 'cy' ? formatDateIn('cy', iso) : formatDate(iso);
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
