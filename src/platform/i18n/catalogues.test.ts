import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, formatDateIn, readCatalogues, translator } from './index.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** 'a.b.c' → value, for every leaf of a catalogue. */
function leaves(tree: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of leaves(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

const catalogues = readCatalogues();
const namespaces = [...new Set([...Object.keys(catalogues.en), ...Object.keys(catalogues.cy)])].sort();

describe('the English and Welsh catalogues', () => {
  it('are found on disk, one file per namespace in each language', () => {
    expect(namespaces).toContain('common');
    expect(namespaces).toContain('layout');
    for (const ns of namespaces) {
      expect(fs.existsSync(path.join(LOCALES_DIR, 'en', `${ns}.json`)), `en/${ns}.json`).toBe(true);
      expect(fs.existsSync(path.join(LOCALES_DIR, 'cy', `${ns}.json`)), `cy/${ns}.json`).toBe(true);
    }
  });

  for (const ns of namespaces) {
    it(`${ns}: every key is in both languages, with the same placeholders and no empty text`, () => {
      const en = leaves(catalogues.en[ns] ?? {});
      const cy = leaves(catalogues.cy[ns] ?? {});
      const base = (m: Map<string, unknown>) => new Set([...m.keys()].map((k) => k.replace(PLURAL, '')));
      const enKeys = base(en);
      const cyKeys = base(cy);
      expect([...enKeys].filter((k) => !cyKeys.has(k)), `in en/${ns}.json but not cy`).toEqual([]);
      expect([...cyKeys].filter((k) => !enKeys.has(k)), `in cy/${ns}.json but not en`).toEqual([]);
      for (const [lang, map] of [['en', en], ['cy', cy]] as const) {
        for (const [key, value] of map) {
          expect(typeof value === 'string' && value.trim() !== '', `${lang}/${ns}.json ${key} is text`).toBe(true);
        }
      }
      // A plural key has its "other" form in both languages, and both say the same placeholders.
      for (const key of enKeys) {
        const forms = (m: Map<string, unknown>) => [...m.entries()].filter(([k]) => k === key || k.replace(PLURAL, '') === key);
        const enForms = forms(en);
        const cyForms = forms(cy);
        if (enForms.some(([k]) => PLURAL.test(k))) {
          expect(cy.has(`${key}_other`), `cy/${ns}.json ${key}_other`).toBe(true);
          expect(en.has(`${key}_other`), `en/${ns}.json ${key}_other`).toBe(true);
        }
        const enVars = new Set(enForms.flatMap(([, v]) => placeholders(String(v))));
        for (const [k, v] of cyForms) {
          for (const name of placeholders(String(v))) expect(enVars.has(name), `cy/${ns}.json ${k} uses {{${name}}}, unknown in English`).toBe(true);
        }
      }
    });
  }

  it('has every key that the code and templates name', () => {
    const enKeys = new Map<string, Set<string>>();
    for (const ns of namespaces) enKeys.set(ns, new Set([...leaves(catalogues.en[ns] ?? {}).keys()].map((k) => k.replace(PLURAL, ''))));
    const missing: string[] = [];
    const src = path.resolve(LOCALES_DIR, '..');
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of walk(src).filter((f) => /\.(ts|njk)$/.test(f) && !f.endsWith('.test.ts'))) {
      const text = fs.readFileSync(file, 'utf8');
      // Literal keys only: t('ns:key'), t("ns:key"), key: 'ns:key'. Keys built at run time are checked where they are built.
      for (const m of text.matchAll(/\bt\(\s*['"]([a-zA-Z][\w-]*):(\w+(?:\.\w+)*)['"]/g)) {
        const [, ns, key] = m;
        if (!enKeys.get(ns!)?.has(key!)) missing.push(`${path.relative(src, file)}: ${ns}:${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('translates, with placeholders, and falls back to English for nothing', () => {
    expect(translator('en')('layout:thereIsAProblem')).toBe('There is a problem');
    expect(translator('cy')('layout:thereIsAProblem')).toBe('Mae problem wedi codi');
    expect(translator('cy')('layout:serviceName')).toBe('Rheoli taliadau uniongyrchol');
  });

  it('writes dates the GOV.UK way in both languages', () => {
    expect(formatDateIn('en', '2026-11-23')).toBe('23 November 2026');
    expect(formatDateIn('cy', '2026-11-23')).toBe('23 Tachwedd 2026');
    expect(formatDateIn('cy', '2027-01-05')).toBe('5 Ionawr 2027');
  });
});
