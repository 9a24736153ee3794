import { describe, expect, it } from 'vitest';
import { i18n, LANGUAGES } from '../../platform/i18n/index.ts';
import { DIRECT_PAYMENT_STATUSES } from '../../domain/direct-payment-status.ts';
import { ROLES } from '../../platform/auth/roles.ts';
import { DECISIONS } from '../panel/decisions.ts';
import { statusKey } from './queries.ts';
import { STORIES } from './stories.ts';

// Keys built at run time (a status, a decision, a story), which the catalogue test cannot see in the code.
const built = [
  ...DIRECT_PAYMENT_STATUSES.filter((s) => s !== 'draft').flatMap((s) => ['one_off', 'ongoing'].flatMap((k) => [statusKey(s, k, false), statusKey(s, k, true)])),
  ...DIRECT_PAYMENT_STATUSES.map((s) => `home:statusName.${s}`),
  ...['one_off', 'ongoing'].map((k) => `home:kind.${k}`),
  ...Object.keys(DECISIONS).flatMap((d) => [`home:decision.what.${d}`, `home:decision.next.${d}You`, `home:decision.next.${d}They`]),
  ...['england', 'wales'].map((j) => `home:decision.ombudsman.${j}`),
  ...STORIES.flatMap((s) => [`home:stories.${s}.title`, `home:stories.${s}.text`]),
  ...ROLES.map((r) => `layout:roles.${r}`),
  ...['money.checkBackYou', 'money.checkBackThey', 'money.reviewYou', 'money.reviewThey'].map((k) => `home:${k}`),
];

describe('the keys the home page builds', () => {
  for (const lang of LANGUAGES) {
    it(`all exist in ${lang}`, () => {
      const missing = built.filter((key) => !i18n().exists(key, { lng: lang, fallbackLng: false }));
      expect(missing).toEqual([]);
    });
  }

  it('speaks about the person, not to them, for a representative', () => {
    expect(statusKey('active', 'ongoing', true)).toBe('home:status.active.ongoingThey');
    expect(statusKey('declined', 'one_off', false)).toBe('home:status.declined.you');
    const t = i18n().getFixedT('en');
    expect(t(statusKey('active', 'ongoing', true), { name: 'Cerys Morgan' })).toContain('Cerys Morgan’s social worker');
    expect(t(statusKey('active', 'ongoing', true), { name: 'Cerys Morgan' })).not.toMatch(/your social worker/i);
  });
});
