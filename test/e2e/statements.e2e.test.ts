import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chooseFileByKeyboard, expectAccessible, launchBrowser, newPage, signInByKeyboard, tabTo } from '../support/browser.ts';
import { createUpload, startImport } from '../../src/features/statements/uploads.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/statements');

let t: TestApp;
let browser: Browser;
let dir: string;
beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-statements-e2e-'));
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

/** Tabs to a link or button and presses Enter, waiting for the page it leads to. */
async function follow(page: Page, selector: string) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe('statements', () => {
  it('a recipient imports a statement and explains a line by keyboard (desktop, English)', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'anwen');
    await follow(page, 'a[href$="/statements"]');
    expect(await text(page, 'h1')).toBe('Your bank statements');
    await expectAccessible(page, 'statements');

    // Nothing chosen.
    await follow(page, 'form[enctype] button.govuk-button');
    expect(await page.title()).toMatch(/^Error: Your bank statements/);
    expect(await text(page, '.govuk-error-summary')).toContain('Select a statement file');
    await expectAccessible(page, 'statements: no file');

    // A broken file is refused whole, naming the line; the summary link takes the keyboard to the input.
    await chooseFileByKeyboard(page, '#file', path.join(FIXTURES, 'broken/bad-dates.csv'));
    await follow(page, 'form[enctype] button.govuk-button');
    expect(await text(page, '#file-error')).toContain('We could not import bad-dates.csv: line 3: the date “31/02/2026” is not a date we can read');
    await expectAccessible(page, 'statements: refused');
    await page.focus('.govuk-error-summary a[href="#file"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');

    // The real statement: one line the service cannot match.
    await chooseFileByKeyboard(page, '#file', file('november.csv', [
      'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
      "18/11/2026,DEB,'30-99-50,12345678,EASTMOOR TAXIS 0042,14.50,,512.00,",
    ].join('\r\n')));
    await follow(page, 'form[enctype] button.govuk-button');
    expect(await text(page, '.govuk-notification-banner')).toContain('Statement imported');
    expect(await text(page, '.govuk-notification-banner')).toContain('1 lines read: 1 new, 0 already here.');
    await expectAccessible(page, 'statements: imported');

    await follow(page, 'a[href$="/to-explain"]');
    expect(await text(page, 'main')).toContain('EASTMOOR TAXIS 0042');
    await expectAccessible(page, 'to explain');
    await follow(page, 'a[href^="/my/statement-lines/"]');
    expect(await text(page, 'h1')).toBe('What was this for?');
    await expectAccessible(page, 'a line');

    await follow(page, 'form:has(#explanation) button.govuk-button');
    expect(await text(page, '.govuk-error-summary')).toContain('Say what the money was for, in a sentence');
    await expectAccessible(page, 'a line: empty');
    await tabTo(page, '#explanation');
    await page.keyboard.type('A taxi home from my hospital appointment, as my PA was off sick');
    await follow(page, 'form:has(#explanation) button.govuk-button');
    expect(await text(page, '.govuk-notification-banner')).toContain('Thank you. That is saved');
    expect(await text(page, 'main')).toContain('There is nothing left to explain. Thank you.');
    await expectAccessible(page, 'to explain: done');

    // A long import shows its progress; "Check progress" (no JavaScript needed) shows the result.
    const anwen = await t.ownerDb.selectFrom('users').select(['id', 'username']).where('username', '=', 'anwen').executeTakeFirstOrThrow();
    const line = await t.ownerDb.selectFrom('statement_lines').select('direct_payment_id').where('description', '=', 'EASTMOOR TAXIS 0042').executeTakeFirstOrThrow();
    const person = await t.ownerDb.selectFrom('direct_payments').select('person_id').where('id', '=', line.direct_payment_id).executeTakeFirstOrThrow();
    const rows = ['Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance'];
    for (let i = 0; i < 80_000; i++) rows.push(`02/03/2025,DEB,'30-99-50,12345678,CARD PAYMENT ${i},${1 + (i % 90)}.00,,0.00,`);
    const user = { ...anwen, role: 'recipient' as const };
    const uploadId = await createUpload(t.db, { directPaymentId: line.direct_payment_id, personId: person.person_id, user, fileName: 'five-years.csv', bytes: Buffer.from(rows.join('\r\n')) });
    const job = startImport(t, uploadId, user, person.person_id);
    await page.goto(`${t.baseUrl}/my/statement-uploads/${uploadId}`);
    expect(await text(page, 'h1')).toBe('Importing your statement');
    await expectAccessible(page, 'progress: importing');
    await job;
    await page.reload();
    expect(await text(page, '.govuk-panel')).toContain('80000 lines read: 80000 new, 0 already here.');
    await expectAccessible(page, 'progress: done');
    await context.close();

    // The finance officer sees the line with Anwen's own words, on a page that passes axe too.
    const staff = await newPage(browser, 'desktop');
    await signInByKeyboard(staff.page, t.baseUrl, 'finance');
    const dp = await t.ownerDb.selectFrom('statement_lines').select('direct_payment_id').where('description', '=', 'EASTMOOR TAXIS 0042').executeTakeFirstOrThrow();
    await staff.page.goto(`${t.baseUrl}/direct-payments/${dp.direct_payment_id}/statements`);
    expect(await text(staff.page, 'main')).toContain('A taxi home from my hospital appointment, as my PA was off sick');
    await expectAccessible(staff.page, 'finance: statements');
    await staff.context.close();
  });

  it('the same at 320px in Welsh, with a layout the service has to ask about', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'dewi');
    if ((await page.getAttribute('html', 'lang')) !== 'cy') await follow(page, 'button[name="lang"][value="cy"]');
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    // The menu is collapsed at 320px; the link to the statements is in the page itself.
    await follow(page, 'main a[href$="/statements"]');
    expect(await text(page, 'h1')).toBe('Eich cyfriflenni banc');
    await expectAccessible(page, 'cy: statements');

    await chooseFileByKeyboard(page, '#file', path.join(FIXTURES, 'prepaid-card.csv'));
    await follow(page, 'form[enctype] button.govuk-button');
    expect(await text(page, 'h1')).toBe('Pa golofn yw pa un?');
    await expectAccessible(page, 'cy: columns');
    // The service's guesses (date, description, amount) are right: keep them.
    await follow(page, 'form button.govuk-button');
    expect(await text(page, '.govuk-notification-banner')).toContain('Mae’r gyfriflen wedi’i mewnforio');
    await expectAccessible(page, 'cy: imported');

    await follow(page, 'a[href$="/to-explain"]');
    expect(await text(page, 'h1')).toBe('Llinellau na allem eu paru');
    await expectAccessible(page, 'cy: to explain');
    await follow(page, 'a[href^="/my/statement-lines/"]');
    expect(await text(page, 'h1')).toBe('Ar gyfer beth oedd hyn?');
    await expectAccessible(page, 'cy: a line');
    await follow(page, 'form:has(#explanation) button.govuk-button');
    expect(await text(page, '.govuk-error-summary')).toContain('Dywedwch beth oedd yr arian ar ei gyfer, mewn brawddeg');
    await expectAccessible(page, 'cy: a line, empty');
    await tabTo(page, '#explanation');
    await page.keyboard.type('Arian y cyngor i’r cerdyn');
    await follow(page, 'form:has(#explanation) button.govuk-button');
    expect(await text(page, '.govuk-notification-banner')).toContain('Diolch. Mae hynny wedi’i gadw');
    await expectAccessible(page, 'cy: explained');
    await context.close();
  });
});
