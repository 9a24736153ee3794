import { describe, expect, it } from 'vitest';
import { defaultGuidance } from './default-guidance.ts';

describe('the suggested guidance', () => {
  const items = defaultGuidance();

  it('has 6 to 8 items, each with a title, what it says and examples', () => {
    expect(items.length).toBeGreaterThanOrEqual(6);
    expect(items.length).toBeLessThanOrEqual(8);
    for (const item of items) {
      expect(item.title.length).toBeGreaterThan(5);
      expect(item.body.length).toBeGreaterThan(20);
      expect(item.examples.split('\n').length).toBeGreaterThan(0);
    }
    expect(new Set(items.map((i) => i.title)).size).toBe(items.length);
  });

  it('draws on the case studies, and says what a direct payment cannot normally buy', () => {
    const all = JSON.stringify(items).toLowerCase();
    for (const idea of ['equipment', 'course', 'membership', 'adaptation', 'personal assistant', 'travel training', 'dog']) expect(all).toContain(idea);
    const cannot = items.find((i) => /cannot/i.test(i.title))!;
    for (const thing of ['Gambling', 'Alcohol', 'Tobacco', 'debts', 'would usually pay for anyway']) expect(`${cannot.body}\n${cannot.examples}`).toContain(thing);
  });

  it('gives a fresh copy each time, so a caller cannot change another’s', () => {
    defaultGuidance()[0]!.title = 'changed';
    expect(defaultGuidance()[0]!.title).not.toBe('changed');
  });
});
