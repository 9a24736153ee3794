import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, expectErrorSummary, mainText, navigating, newPage, pressByText, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, typeInto, type Viewport, visit } from '../support/browser.ts';
import { demoIds } from '../support/builders.ts';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';

let t: TestApp;
let browser: Browser;
let peterDp: string;
let fatimaDp: string;
let peterId: string;

const dpOf = async (givenName: string) =>
  (
    await t.db
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select('direct_payments.id')
      .where('people.given_name', '=', givenName)
      .executeTakeFirstOrThrow()
  ).id;

beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  peterId = (await demoIds(t.db)).person('Peter');
  [peterDp, fatimaDp] = await Promise.all([dpOf('Peter'), dpOf('Fatima')]);
});
afterAll(() => stopAppAndBrowser(t, browser));

/** At desktop width by keyboard alone; at 320px by touch, which proves the same pages reflow. */
function user(page: Page, byKeyboard: boolean) {
  return {
    fill: (selector: string, text: string) => (byKeyboard ? typeInto(page, selector, text) : page.fill(selector, text)),
    tick: async (selector: string) => {
      if (!byKeyboard) return page.check(selector);
      await tabTo(page, selector);
      await page.keyboard.press('Space');
      expect(await page.isChecked(selector)).toBe(true);
    },
    press: (text: string) =>
      byKeyboard
        ? pressByText(page, text, { buttonsOnly: true, exact: true })
        : navigating(page, () => page.click(`.govuk-main-wrapper button:has-text("${text}")`)),
  };
}

describe('changing a direct payment’s bank details, with a second confirmation', () => {
  for (const viewport of ['desktop', 'mobile'] as Viewport[]) {
    it(`a practitioner changes Peter’s bank details after phoning him (${viewport})`, async () => {
      await t.db.updateTable('direct_payments').set({ account_name: 'P WALSH', sort_code: '309634', account_number: '48213377' }).where('id', '=', peterDp).execute();
      await t.db.updateTable('people').set({ phone: '01632 960 001' }).where('id', '=', peterId).execute();
      const { context, page } = await newPage(browser, viewport);
      const u = user(page, viewport === 'desktop');
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      const base = `/direct-payments/${peterDp}/bank-details`;

      // The details on record, masked, and the form.
      await visit(page, t.baseUrl, base);
      const onRecord = await mainText(page);
      expect(onRecord).toContain('••••3377');
      expect(onRecord).not.toContain('48213377');

      // Nothing typed, then a sort code and account number that do not match.
      await u.press('Continue');
      await expectErrorSummary(page, 'bank details: empty', 'Enter the name on the account', 'Enter a sort code', 'Enter an account number');
      await u.fill('#account_name', 'P WALSH');
      await u.fill('#sort_code', '10-79-99');
      await u.fill('#account_number', '88837493');
      await u.press('Continue');
      await expectErrorSummary(page, 'bank details: modulus check fails', 'The account number does not match the sort code');
      expect(await page.inputValue('#sort_code')).toBe('10-79-99');

      // Corrected: the check page, with nothing saved yet.
      await u.fill('#account_number', '88837491');
      await u.press('Continue');
      expect(new URL(page.url()).pathname).toBe(`${base}/check`);
      await expectAccessible(page, 'bank details: check');
      expect(await mainText(page)).toContain('Passed: the account number matches the sort code');
      expect(await mainText(page)).toContain('Peter Walsh: 01632 960 001');

      // Confirming without the phone check or the password, then with a wrong password.
      await u.press('Change bank details');
      await expectErrorSummary(page, 'bank details: confirm empty', 'Confirm that you phoned Peter Walsh', 'Enter your password');
      await u.tick('#verified');
      await u.fill('#password', 'wrong password');
      await u.press('Change bank details');
      await expectErrorSummary(page, 'bank details: wrong password', 'The password is not right');
      expect((await t.db.selectFrom('direct_payments').select('account_number').where('id', '=', peterDp).executeTakeFirstOrThrow()).account_number).toBe('48213377');

      // The box stays ticked; the right password saves the change.
      expect(await page.isChecked('#verified')).toBe(true);
      await u.fill('#password', DEMO_PASSWORD);
      await u.press('Change bank details');
      expect(new URL(page.url()).pathname).toBe(base);
      await expectAccessible(page, 'bank details: changed');
      const changed = await mainText(page);
      expect(changed).toContain('Bank details changed');
      expect(changed).toContain('••••7491');
      expect(changed).not.toContain('88837491');
      expect((await t.db.selectFrom('direct_payments').select('account_number').where('id', '=', peterDp).executeTakeFirstOrThrow()).account_number).toBe('88837491');
      await context.close();
    });

    it(`explains what cannot be done: no phone on record, no bank account (${viewport})`, async () => {
      await t.db.updateTable('people').set({ phone: null }).where('id', '=', peterId).execute();
      const { context, page } = await newPage(browser, viewport);
      const u = user(page, false);
      await signInByKeyboard(page, t.baseUrl, 'finance');
      await visit(page, t.baseUrl, `/direct-payments/${peterDp}/bank-details`);
      await u.fill('#account_name', 'PETER WALSH');
      await u.fill('#sort_code', '99 99 99');
      await u.fill('#account_number', '12345678');
      await u.press('Continue');
      await expectAccessible(page, 'bank details: check, not checkable, no phone');
      const text = await mainText(page);
      expect(text).toContain('Not checked');
      expect(text).toContain('There is no phone number on our records for Peter Walsh');
      expect(await page.locator('#password').count()).toBe(0);
      await visit(page, t.baseUrl, `/direct-payments/${fatimaDp}/bank-details`);
      expect(await mainText(page)).toContain('has no bank details to change');
      await context.close();
    });
  }
});
