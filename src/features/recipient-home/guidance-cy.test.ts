import { describe, expect, it } from 'vitest';
import { defaultGuidance } from '../guidance/default-guidance.ts';
import { guidanceIn, WELSH_GUIDANCE_COUNT } from './guidance-cy.ts';

const asStored = () => defaultGuidance().map((g, i) => ({ id: String(i), position: i + 1, updated_at: new Date(), ...g, exampleList: g.examples.split('\n') }));

describe('the suggested guidance in Welsh', () => {
  it('has a Welsh version of every suggested item, example for example', () => {
    expect(WELSH_GUIDANCE_COUNT).toBe(defaultGuidance().length);
    const welsh = guidanceIn('cy', asStored());
    welsh.forEach((item, i) => {
      expect(item.title).not.toBe(defaultGuidance()[i]!.title);
      expect(item.exampleList.length, item.title).toBe(defaultGuidance()[i]!.examples.split('\n').length);
    });
    expect(welsh[0]!.title).toBe('Offer sy’n cynyddu annibyniaeth');
  });

  it('shows English pages as stored, and a council’s own words as it wrote them', () => {
    const items = asStored();
    expect(guidanceIn('en', items).map((g) => g.title)).toEqual(items.map((g) => g.title));
    items[1] = { ...items[1]!, body: `${items[1]!.body} Ask us about local courses.` };
    items.push({ ...items[0]!, id: 'x', title: 'Canllaw Dyffryn', body: 'Ein canllawiau ni', examples: '', exampleList: [] });
    const shown = guidanceIn('cy', items);
    expect(shown[0]!.title).toBe('Offer sy’n cynyddu annibyniaeth');
    expect(shown[1]!.title).toBe('A course to help someone work or volunteer');
    expect(shown[1]!.body).toContain('Ask us about local courses.');
    expect(shown.at(-1)!.title).toBe('Canllaw Dyffryn');
  });
});
