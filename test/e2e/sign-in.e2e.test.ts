import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, visit } from '../support/browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
});
afterAll(() => stopAppAndBrowser(t, browser));

describe('signing in', () => {
  for (const viewport of ['desktop', 'mobile'] as const) {
    it(`a practitioner signs in by keyboard and sees the people list (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      expect(new URL(page.url()).pathname).toBe('/people');
      await expectAccessible(page);
      await context.close();
    });
  }

  it('shows an accessible error summary for a wrong password, keeping the username', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.fill('#username', 'practitioner');
    await page.fill('#password', 'not-the-password');
    await page.click('button:has-text("Sign in")');
    await expect.poll(() => page.locator('.govuk-error-summary').count()).toBe(1);
    expect(await page.inputValue('#username')).toBe('practitioner');
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'sign-in error');
    await visit(page, t.baseUrl, '/no-such-page').catch(() => undefined);
    await context.close();
  });
});
