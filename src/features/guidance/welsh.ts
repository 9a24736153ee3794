import type { Lang } from '../../platform/i18n/index.ts';
import { guidanceIn } from '../recipient-home/guidance-cy.ts';
import type { GuidanceRow } from './queries.ts';

/**
 * One item as a person reads it. `lang` is the language its words are in; `englishOnly` is true
 * on a Welsh page when the council has not written the item in Welsh, so the page says so
 * ("Dim ond yn Saesneg mae hwn ar gael") and marks the English with lang="en" for screen readers.
 */
export type GuidanceForPerson = { id: string; title: string; body: string; exampleList: string[]; lang: Lang; englishOnly: boolean };

/**
 * The council's guidance in the person's language: in Welsh, the council's own Welsh; failing
 * that the published Welsh of the suggested guidance while the item still reads exactly as
 * suggested (features/recipient-home/guidance-cy.ts); failing that the English, marked as English.
 * Welsh examples left empty fall back to the English examples, marked as English too.
 */
export function guidanceFor(lang: Lang, items: GuidanceRow[]): (GuidanceForPerson & { examplesLang: Lang })[] {
  const suggested = guidanceIn(lang, items);
  return items.map((item, i) => {
    const english = { id: item.id, title: item.title, body: item.body, exampleList: item.exampleList, lang: 'en' as Lang, examplesLang: 'en' as Lang };
    if (lang !== 'cy') return { ...english, englishOnly: false };
    if (item.title_cy && item.body_cy) {
      const welshExamples = item.exampleListCy.length > 0 || item.exampleList.length === 0;
      return { ...english, title: item.title_cy, body: item.body_cy, exampleList: welshExamples ? item.exampleListCy : item.exampleList, lang: 'cy', examplesLang: welshExamples ? 'cy' : 'en', englishOnly: false };
    }
    const translated = suggested[i]!;
    if (translated.title !== item.title) return { ...english, ...translated, lang: 'cy', examplesLang: 'cy', englishOnly: false };
    return { ...english, englishOnly: true };
  });
}
