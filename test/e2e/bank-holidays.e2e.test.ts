import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { chooseFileByKeyboard, expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, submitByKeyboard, visit } from '../support/browser.ts';
import { ENGLAND_AND_WALES_2027, ENGLAND_AND_WALES_2028, govUkFile } from '../../src/features/bank-holidays/test-files.ts';

let t: TestApp;
let browser: Browser;
let dir: string;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-holidays-e2e-'));
});
afterAll(async () => {
  await stopAppAndBrowser(t, browser);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

const chooseFile = (page: Page, filePath: string) => chooseFileByKeyboard(page, '#file', filePath);

describe('bank holidays', () => {
  const journeys = [
    // Desktop imports 2028; the phone then imports a file in which GOV.UK has renamed a holiday.
    { viewport: 'desktop', events: [...ENGLAND_AND_WALES_2027, ...ENGLAND_AND_WALES_2028], done: '8 dates added, 8 already known.', shows: '3 January 2028' },
    {
      viewport: 'mobile',
      events: ENGLAND_AND_WALES_2028.map((e) => (e.date === '2028-05-01' ? { ...e, title: 'May Day' } : e)),
      done: '0 dates added, 1 title changed, 7 already known.',
      shows: 'May Day',
    },
  ] as const;

  for (const { viewport, events, done, shows } of journeys) {
    it(`an administrator imports GOV.UK's file by keyboard and sees the new list (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'admin');
      expect(await page.locator('a[href="/admin/bank-holidays"]').count()).toBe(1);
      await visit(page, t.baseUrl, '/admin/bank-holidays');
      expect(await page.textContent('h1')).toBe('Bank holidays');
      expect(await page.textContent('table')).toContain('25 December 2026');

      // No file chosen.
      await submitByKeyboard(page, 'form button.govuk-button');
      expect(await page.title()).toMatch(/^Error: Bank holidays/);
      expect(await page.textContent('.govuk-error-summary')).toContain('Select the bank-holidays.json file from GOV.UK');
      await expectAccessible(page, 'bank holidays: no file');

      // A file with one bad date is refused whole.
      await chooseFile(page, file(`bad-${viewport}.json`, govUkFile([...ENGLAND_AND_WALES_2028, { title: 'Boxing Day', date: '2028-12-32' }])));
      await submitByKeyboard(page, 'form button.govuk-button');
      expect(await page.title()).toMatch(/^Error:/);
      expect(await page.textContent('#file-error')).toContain('England and Wales bank holiday 9 (2028-12-32) has a problem: its date is not a real date');
      await expectAccessible(page, 'bank holidays: bad file');
      // The error summary's link takes the keyboard to the file input.
      await page.focus('.govuk-error-summary a[href="#file"]');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');

      // Not a JSON file at all.
      await chooseFile(page, file(`page-${viewport}.json`, '<!DOCTYPE html><p>Bank holidays</p>'));
      await submitByKeyboard(page, 'form button.govuk-button');
      expect(await page.textContent('.govuk-error-summary')).toContain('it is not a JSON file');
      await expectAccessible(page, 'bank holidays: not JSON');

      // The real thing.
      await chooseFile(page, file(`bank-holidays-${viewport}.json`, govUkFile([...events])));
      await submitByKeyboard(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe('/admin/bank-holidays');
      expect(await page.title()).not.toMatch(/^Error/);
      expect(await page.textContent('.govuk-notification-banner')).toContain('Bank holidays imported');
      expect(await page.textContent('.govuk-notification-banner')).toContain(done);
      expect(await page.textContent('table')).toContain(shows);
      expect(await page.textContent('main')).toContain('The service knows bank holidays up to 26 December 2028');
      await expectAccessible(page, 'bank holidays: imported');
      await context.close();
    });
  }

  it('is refused to a finance officer', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'finance');
    expect(await page.locator('a[href="/admin/bank-holidays"]').count()).toBe(0);
    const res = await page.goto(`${t.baseUrl}/admin/bank-holidays`);
    expect(res?.status()).toBe(403);
    await expectAccessible(page, 'bank holidays: forbidden');
    await context.close();
  });
});
