import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, visit } from '../support/browser.ts';
import { approvedDirectPayment, representativeFor } from '../../src/features/payments/test-data.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';

let t: TestApp;
let browser: Browser;
let dp: { id: string; personId: string };
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  dp = await approvedDirectPayment(t.db, { username: 'pat', givenName: 'Pat' });
});
afterAll(() => stopAppAndBrowser(t, browser));

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(`button:has-text("${button}")`)]);
}

describe('from agreement to what the person bought', () => {
  it('a practitioner draws up the agreement and records it as signed', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'practitioner');
    await visit(page, t.baseUrl, `/direct-payments/${dp.id}/agreement`);
    expect(await page.textContent('main')).toContain('What the agreement will say');
    await submit(page, 'Create the agreement');
    expect(new URL(page.url()).pathname).toMatch(/^\/agreements\/[0-9a-f-]{36}$/);
    await expectAccessible(page, 'agreement');

    await submit(page, 'Record as signed');
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'agreement: signature errors');

    await page.fill('#signedOn-day', '23');
    await page.fill('#signedOn-month', '11');
    await page.fill('#signedOn-year', '2026');
    await page.fill('#signedBy', 'Pat Tester');
    await submit(page, 'Record as signed');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Agreement recorded as signed');
    expect(await page.textContent('main')).toContain('Signed by Pat Tester on 23 November 2026');
    await expectAccessible(page, 'agreement: signed');

    const pdf = await page.request.get(`${t.baseUrl}${await page.getAttribute('a:has-text("accessible PDF")', 'href')}`);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
    expect((await pdf.body()).toString('latin1')).toContain('/StructTreeRoot');
    await context.close();
  });

  it('a practitioner reads the agreement and its versions at 320px', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'practitioner');
    await visit(page, t.baseUrl, `/direct-payments/${dp.id}/agreement`);
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Version 1")')]);
    await expectAccessible(page, 'agreement at 320px');
    await context.close();
  });

  for (const viewport of ['desktop', 'mobile'] as const) {
    it(`a finance officer reads the statement (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'finance');
      await visit(page, t.baseUrl, `/direct-payments/${dp.id}/payments`);
      await context.close();
    });
  }

  it('a finance officer marks the payment as sent, then paid', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'finance');
    await visit(page, t.baseUrl, `/direct-payments/${dp.id}/payments`);
    await submit(page, 'Mark as sent');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Payment marked as sent');
    await expectAccessible(page, 'statement: sent');
    expect(await verifyLedger(t.db)).toEqual([]);
    await submit(page, 'Mark as paid');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Payment marked as paid');
    expect(await page.textContent('main')).toContain('Paid into the account');
    await expectAccessible(page, 'statement: paid');
    expect(await verifyLedger(t.db)).toEqual([]);
    await context.close();
  });

  it('the person signs in by keyboard at 320px, reads their page and records what they bought by keyboard', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'pat');
    expect(new URL(page.url()).pathname).toBe('/my');
    await expectAccessible(page, '/my');
    const home = await page.textContent('main');
    expect(home).toContain('The money has been paid');
    expect(home).toContain('I want to cook my own meals again');
    expect(home).toContain('About £450.00 left');
    expect(home).toContain('We will check back with you by 23 February 2027');
    await page.click('summary:has-text("Read the funding panel’s decision")');
    await expectAccessible(page, '/my with the decision open');

    await page.focus('body');
    await tabTo(page, 'a[href$="/spending/new"]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await expectAccessible(page, 'record spending');

    await tabTo(page, 'button.govuk-button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'record spending: errors');

    await tabTo(page, '#spentOn-day');
    await page.keyboard.type('22');
    await page.keyboard.press('Tab');
    await page.keyboard.type('11');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2026');
    await tabTo(page, '#amount', 3);
    await page.keyboard.type('399.99');
    await tabTo(page, '#paidTo', 3);
    await page.keyboard.type('Currys');
    await tabTo(page, 'input[name="outcome"]', 3);
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (document.querySelector('input[name="outcome"]:checked') as HTMLInputElement | null)?.value)).toBe('0');
    await tabTo(page, '#note', 3);
    await page.keyboard.type('The cooker, fitted');
    await tabTo(page, 'button.govuk-button', 3);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe(`/my/direct-payments/${dp.id}`);
    expect(await page.textContent('.govuk-notification-banner')).toContain('What you bought has been saved');
    const after = await page.textContent('main');
    expect(after).toContain('Currys');
    expect(after).toContain('About £50.01 left');
    await expectAccessible(page, '/my after recording');
    await context.close();
  });

  it('a demo recipient with months of payments and spending reads their page (desktop)', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'anwen');
    await expectAccessible(page, '/my for Anwen');
    expect(await page.textContent('main')).toContain('left, going by what you’ve recorded');
    await context.close();
  });

  it('a representative acting for two people picks one, and sees who they are managing it for', async () => {
    const other = await approvedDirectPayment(t.db, { givenName: 'Kim', kind: 'ongoing' });
    await representativeFor(t.db, 'sam', [dp.personId, other.personId]);
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'sam');
    expect(new URL(page.url()).pathname).toBe('/my');
    expect(await page.textContent('h1')).toContain('Direct payments you manage');
    await expectAccessible(page, '/my for a representative');
    await visit(page, t.baseUrl, `/my/direct-payments/${other.id}`);
    expect(await page.textContent('main')).toContain('You are managing this for Kim Tester');
    await context.close();
  });
});
