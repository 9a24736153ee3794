import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n as I18n, type TOptions } from 'i18next';

/**
 * English and Welsh, with i18next. Catalogues are JSON files, one per namespace (one namespace per
 * feature, owned by that feature): `src/locales/en/<namespace>.json` and `src/locales/cy/<namespace>.json`.
 * Keys are written `namespace:key.path` (`common:` may be left off). Values use i18next's
 * `{{name}}` placeholders and its plural suffixes (`_one`, `_other`; Welsh also `_zero`, `_two`,
 * `_few`, `_many`). Strings come back unescaped: Nunjucks escapes them when it prints them.
 */
export const LANGUAGES = ['en', 'cy'] as const;
export type Lang = (typeof LANGUAGES)[number];
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'cy';
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const LOCALES_DIR = path.resolve(here, '../../locales');

/** Every catalogue on disk: { en: { common: {...}, home: {...} }, cy: {...} }. */
export function readCatalogues(dir = LOCALES_DIR): Record<Lang, Record<string, Record<string, unknown>>> {
  const out = { en: {}, cy: {} } as Record<Lang, Record<string, Record<string, unknown>>>;
  for (const lang of LANGUAGES) {
    const langDir = path.join(dir, lang);
    if (!fs.existsSync(langDir)) continue;
    for (const file of fs.readdirSync(langDir).sort()) {
      if (!file.endsWith('.json')) continue;
      out[lang][file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(langDir, file), 'utf8'));
    }
  }
  return out;
}

let instance: I18n | undefined;

/** The one i18next instance, loaded synchronously from the catalogues the first time it is asked for. */
export function i18n(): I18n {
  if (instance) return instance;
  const resources = readCatalogues();
  const created = i18next.createInstance();
  void created.init({
    initAsync: false,
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...new Set([...Object.keys(resources.en), ...Object.keys(resources.cy)])],
    defaultNS: 'common',
    nsSeparator: ':',
    keySeparator: '.',
    interpolation: { escapeValue: false },
    returnNull: false,
  } as Parameters<I18n['init']>[0]);
  instance = created;
  return created;
}

/** A translate function fixed to one language, the shape templates and routes use. */
export function translator(lang: Lang): Translate {
  const fixed = i18n().getFixedT(lang);
  return (key, vars) => String(fixed(key, vars as TOptions));
}

const MONTHS: Record<Lang, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
};

/** '2026-11-23' → '23 November 2026' or '23 Tachwedd 2026'. */
export function formatDateIn(lang: Lang, date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS[lang][Number(m[2]) - 1]} ${m[1]}`;
}
