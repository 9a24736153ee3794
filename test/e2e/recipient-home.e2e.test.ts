import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { chooseFileByKeyboard, expectAccessible, follow, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, visit } from '../support/browser.ts';
import { exeRenamed, pdfReceipt, pngReceipt } from '../../src/features/spending/test-files.ts';

let t: TestApp;
let browser: Browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-e2e-receipts-'));
const files = { png: path.join(dir, 'receipt-photo.png'), pdf: path.join(dir, 'derbynneb.pdf'), exe: path.join(dir, 'holiday-photo.jpg') };
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  fs.writeFileSync(files.png, pngReceipt());
  fs.writeFileSync(files.pdf, await pdfReceipt());
  fs.writeFileSync(files.exe, exeRenamed());
});
afterAll(async () => {
  await stopAppAndBrowser(t, browser);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Fills the spending form from the top, by keyboard only. */
async function fillSpending(page: Page, a: { day: string; amount: string; paidTo: string; note: string }) {
  await page.focus('body');
  await tabTo(page, '#spentOn-day');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(a.day);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('11');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2026');
  await tabTo(page, '#amount', 3);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(a.amount);
  await tabTo(page, '#paidTo', 3);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(a.paidTo);
  await tabTo(page, 'input[name="outcome"]', 3);
  await page.keyboard.press('Space');
  await tabTo(page, '#note', 6);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(a.note);
}

async function save(page: Page) {
  await tabTo(page, 'button.govuk-button', 4);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

const main = async (page: Page) => (await page.textContent('main')) ?? '';
const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe("the recipient's home, in English and Welsh", () => {
  it('a recipient on a phone (320px) records spending with a receipt, by keyboard, in English then in Welsh', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'peter');
    expect(new URL(page.url()).pathname).toBe('/my');
    expect(await lang(page)).toBe('en');
    await expectAccessible(page, '/my (en)');
    const home = await main(page);
    expect(home).toContain('What the money is for');
    expect(home).toContain('“Cook fresh, nutritious meals to manage my diabetes”');
    expect(home).toContain('Paid in so far');
    expect(home).toContain('Things you can do');
    const dpPath = await page.getAttribute('a[href$="/spending/new"]', 'href');
    const dpId = dpPath!.split('/')[3]!;
    expect(await page.getAttribute('a:has-text("Ask us about a new idea")', 'href')).toBe(`/my/direct-payments/${dpId}/contact/new/idea`);

    // What can I spend it on? The council's guidance, real stories, and where to take a new idea.
    await follow(page, '.app-actions a[href="/my/guidance"]', { fromTop: true });
    await expectAccessible(page, '/my/guidance (en)');
    const guide = await main(page);
    expect(guide).toContain('A greyhound called Wilmer');
    expect(guide).toContain('Equipment that increases independence');
    expect(guide).toContain('open to new ideas and be as flexible as possible');
    expect(await page.getAttribute('main a:has-text("Ask us about a new idea")', 'href')).toBe(`/my/direct-payments/${dpId}/contact/new/idea`);
    await follow(page, 'a.govuk-back-link', { fromTop: true });

    // Record spending with a photo of the receipt; first, a mistake.
    await follow(page, 'a[href$="/spending/new"]', { fromTop: true });
    await expectAccessible(page, 'record spending (en)');
    await fillSpending(page, { day: '21', amount: 'twelve', paidTo: 'Eastmoor Hardware', note: 'Pan set for the new cooker' });
    await chooseFileByKeyboard(page, '#file', files.png);
    await save(page);
    expect(await page.title()).toMatch(/^Error: Record what you bought/);
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the amount in pounds, like 24.99');
    expect(await main(page)).toContain('If you chose a receipt, choose it again');
    await expectAccessible(page, 'record spending: errors (en)');
    await fillSpending(page, { day: '21', amount: '24.99', paidTo: 'Eastmoor Hardware', note: 'Pan set for the new cooker' });
    await chooseFileByKeyboard(page, '#file', files.png);
    await save(page);
    expect(new URL(page.url()).pathname).toBe(`/my/direct-payments/${dpId}`);
    expect(await page.textContent('.govuk-notification-banner')).toContain('The receipt has been saved with it.');
    expect(await main(page)).toContain('Eastmoor Hardware');
    await expectAccessible(page, '/my after recording (en)');
    const photo = await page.getAttribute('a:has-text("See the receipt (photo)")', 'href');
    const fetched = await page.request.get(t.baseUrl + photo!);
    expect(fetched.status()).toBe(200);
    expect(fetched.headers()['content-type']).toBe('image/png');
    expect(Buffer.from(await fetched.body())).toEqual(fs.readFileSync(files.png));

    // Cymraeg, chosen with the switch by keyboard: the page comes back in Welsh.
    await follow(page, 'button[lang="cy"]', { fromTop: true });
    expect(new URL(page.url()).pathname).toBe(`/my/direct-payments/${dpId}`);
    expect(await lang(page)).toBe('cy');
    expect(await main(page)).toContain('Beth yw diben yr arian');
    expect(await page.textContent('.app-language-switch')).toContain('Cymraeg');
    await expectAccessible(page, '/my (cy)');

    await follow(page, 'a[href$="/spending/new"]', { fromTop: true });
    expect(await page.textContent('h1')).toContain('Cofnodi beth wnaethoch chi ei brynu');
    await fillSpending(page, { day: '22', amount: '8.50', paidTo: 'Caffi’r Bont', note: 'Te gyda ffrindiau' });
    // A program renamed to look like a photo is refused, by what it is.
    await chooseFileByKeyboard(page, '#file', files.exe);
    await save(page);
    expect(await page.title()).toMatch(/^Gwall: Cofnodi beth wnaethoch chi ei brynu – Rheoli taliadau uniongyrchol/);
    expect(await page.textContent('.govuk-error-summary')).toContain('Mae problem wedi codi');
    expect(await page.textContent('.govuk-error-summary')).toContain('Rhaid i’r dderbynneb fod yn llun (JPEG, PNG neu HEIC) neu’n PDF');
    expect(await page.inputValue('#paidTo')).toBe('Caffi’r Bont');
    await expectAccessible(page, 'record spending: errors (cy)');
    await chooseFileByKeyboard(page, '#file', files.pdf);
    await save(page);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Mae’r dderbynneb wedi’i chadw gydag e.');
    const welsh = await main(page);
    expect(welsh).toContain('Caffi’r Bont');
    expect(welsh).toContain('Gweld y dderbynneb (PDF)');
    expect(welsh).toMatch(/ar 22 Tachwedd 2026 i Caffi’r Bont/);
    await expectAccessible(page, '/my after recording (cy)');
    await context.close();

    // Another day, another browser: still Welsh, without choosing again.
    const again = await newPage(browser, 'mobile');
    await signInByKeyboard(again.page, t.baseUrl, 'peter');
    expect(await lang(again.page)).toBe('cy');
    expect(await again.page.textContent('h1')).toContain('Eich taliad uniongyrchol');
    await again.context.close();
  });

  it("a representative sees whose direct payment it is, in the council's first language (Welsh) and in English", async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'non');
    expect(await lang(page)).toBe('cy');
    expect(await page.textContent('h1')).toContain('Taliad uniongyrchol Cerys Morgan');
    expect(await main(page)).toContain('Rydych chi’n rheoli hwn ar ran Cerys Morgan');
    expect(await main(page)).toContain('Bydd gweithiwr cymdeithasol Cerys Morgan');
    await expectAccessible(page, '/my for a representative (cy)');
    await follow(page, 'button[lang="en"]', { fromTop: true });
    expect(await lang(page)).toBe('en');
    expect(await page.textContent('h1')).toContain('Cerys Morgan’s direct payment');
    const text = await main(page);
    expect(text).toContain('You are managing this for Cerys Morgan');
    expect(text).toContain('What has been bought for Cerys Morgan');
    expect(text).not.toContain('Your social worker');
    await expectAccessible(page, '/my for a representative (en)');
    await follow(page, '.app-actions a[href="/my/guidance"]', { fromTop: true });
    expect(await main(page)).toContain('the social worker of the person you act for');
    await expectAccessible(page, '/my/guidance for a representative');
    await context.close();

    // The council's setting, on the administrator's (English) page.
    const admin = await newPage(browser, 'mobile');
    await signInByKeyboard(admin.page, t.baseUrl, 'admin');
    await visit(admin.page, t.baseUrl, '/admin/language');
    expect(await admin.page.isChecked('input[name="firstLanguage"][value="en"]')).toBe(true);
    await admin.context.close();
  });
});
