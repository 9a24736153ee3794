import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { expectAccessible, launchBrowser, newPage, screenshotPath, signInByKeyboard, tabTo, visit } from '../support/browser.ts';
import { DASHBOARDS } from '../../src/features/insight/dashboards.ts';
import { CLD_COLUMNS } from '../../src/domain/cld.ts';
import { sampleFeedback } from '../../src/features/insight/sample-feedback.ts';
import { TEST_TODAY } from '../support/database.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  // Survey answers for "What people told us" (the test database's demo council has none of its own).
  const { council_id: councilId } = await t.db.selectFrom('users').select('council_id').where('username', '=', 'manager').executeTakeFirstOrThrow();
  await sampleFeedback(t.ownerDb, councilId, TEST_TODAY);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function pressEnterAndWait(page: Page) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** What a screen reader gets from the chart: an image named by its title and described by its summary, and a table of the same figures. */
async function expectReadableChart(page: Page, title: string) {
  const chart = page.locator('svg[role="img"]');
  expect(await chart.count()).toBe(1);
  const ids = (await chart.getAttribute('aria-labelledby'))!.split(' ');
  expect(ids).toHaveLength(2);
  expect(await page.locator(`[id="${ids[0]}"]`).textContent()).toBe(title);
  const desc = (await page.locator(`[id="${ids[1]}"]`).textContent())!;
  expect(desc.length).toBeGreaterThan(30);
  // The same sentence is on the page as text, and the figures are in a table with a caption and headers.
  expect(await page.locator('main').textContent()).toContain(desc.split('. ')[0]!);
  expect(await page.locator('table caption').count()).toBe(1);
  expect(await page.locator('table thead th[scope="col"]').count()).toBeGreaterThan(1);
  expect(await page.locator('table tbody th[scope="row"]').count()).toBeGreaterThan(0);
}

describe('insight dashboards and the Client Level Data return', () => {
  it('a manager reads every dashboard by keyboard, filters it, downloads its CSV, and checks the return (desktop)', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'manager');
    await tabTo(page, 'a[href="/insight"]');
    await pressEnterAndWait(page);
    expect(await page.textContent('h1')).toBe('Insight');
    await expectAccessible(page, '/insight');

    for (const d of DASHBOARDS) {
      await page.goto(`${t.baseUrl}/insight`);
      await tabTo(page, `a[href^="/insight/${d.slug}?"]`);
      await pressEnterAndWait(page);
      expect(await page.textContent('h1')).toBe(d.title);
      await expectAccessible(page, `/insight/${d.slug}`);
      // Open about how old the figures are, with a way for a manager to have them worked out again.
      expect(await page.textContent('#figures-as-at')).toMatch(/Figures as at \d\d:\d\d on \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(await page.locator('#figures-as-at button', { hasText: 'Refresh figures now' }).count()).toBe(1);
      if ((await page.locator('#figures-unavailable').count()) > 0) {
        // Monitoring not set up in this service: said plainly, not a blank chart.
        expect(await page.textContent('#figures-unavailable')).toContain('not available yet');
        continue;
      }
      await expectReadableChart(page, d.title);
      await page.screenshot({ path: screenshotPath(`insight-${d.slug}`), fullPage: true });
    }

    // What people told us: the answers by quarter, and on by keyboard to what they wrote (/feedback).
    await page.goto(`${t.baseUrl}/insight/feedback?period=24m`);
    expect(await page.textContent('main')).toMatch(/\d+ answers? to the feedback survey in the last 2 years: [\d.]+% said the direct payment is helping/);
    expect(await page.locator('table tbody tr').count()).toBe(9 * 14); // Dec 2024 alone, then 8 whole quarters
    await tabTo(page, 'a[href="/feedback"]');
    await pressEnterAndWait(page);
    expect(await page.textContent('h1')).toBe('Feedback from people');
    await expectAccessible(page, '/feedback (from insight)');

    // "Refresh figures now", by keyboard: the page comes back with a message saying how fresh they are.
    await page.goto(`${t.baseUrl}/insight/reviews`);
    await tabTo(page, '#figures-as-at button');
    await pressEnterAndWait(page);
    expect(new URL(page.url()).pathname).toBe('/insight/reviews');
    expect(await page.textContent('.govuk-notification-banner')).toMatch(/Figures refreshed|The figures are up to date/);
    await expectAccessible(page, '/insight/reviews (after refreshing the figures)');

    // Filters by keyboard: the last 5 years on the reviews page.
    await page.goto(`${t.baseUrl}/insight/reviews`);
    await tabTo(page, '#period');
    await page.keyboard.press('End');
    await tabTo(page, 'form button.govuk-button');
    await pressEnterAndWait(page);
    expect(new URL(page.url()).searchParams.get('period')).toBe('lastfy');
    await expectAccessible(page, '/insight/reviews?period=lastfy');

    // The CSV download, by keyboard.
    await page.goto(`${t.baseUrl}/insight/spend`);
    await tabTo(page, 'a[href^="/insight/spend/data.csv"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('month,paid_out_pounds,cumulative_pounds,budget_to_date_pounds');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(13);

    // The Client Level Data return: check the last quarter, then download it.
    await tabTo(page, 'a[href="/reports/client-level-data"]');
    await pressEnterAndWait(page);
    await expectAccessible(page, '/reports/client-level-data');
    await tabTo(page, 'form button.govuk-button');
    await pressEnterAndWait(page);
    expect(await page.textContent('main')).toContain('Every row is complete');
    await expectAccessible(page, '/reports/client-level-data (checked)');
    await tabTo(page, 'a[href^="/reports/client-level-data/return.csv"]');
    const [ret] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const header = fs.readFileSync((await ret.path())!, 'utf8').split('\r\n')[0]!;
    expect(header.split(',')).toHaveLength(CLD_COLUMNS.length);
    expect(header).toContain('Cost Frequency (Unit Type),Planned units per week');
    await context.close();
  }, 120_000);

  it('every dashboard, the return and the budget page work at 320px wide with no sideways scrolling', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'manager');
    await visit(page, t.baseUrl, '/insight');
    for (const d of DASHBOARDS) await visit(page, t.baseUrl, `/insight/${d.slug}?period=24m`);
    await visit(page, t.baseUrl, '/reports/client-level-data?from-day=1&from-month=7&from-year=2026&to-day=30&to-month=9&to-year=2026');
    await visit(page, t.baseUrl, '/insight/budget');
    // A mistake on the budget page: the error summary, the amount kept.
    await page.fill('#budget', 'a lot');
    await tabTo(page, 'form button.govuk-button');
    await pressEnterAndWait(page);
    expect(await page.title()).toMatch(/^Error: Direct payments budget/);
    expect(await page.inputValue('#budget')).toBe('a lot');
    await expectAccessible(page, '/insight/budget (error)');
    const peter = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
    await visit(page, t.baseUrl, `/client-level-data/people/${peter.id}`);
    await context.close();
  }, 90_000);

  it('an administrator’s lists page is accessible', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'admin');
    await visit(page, t.baseUrl, '/admin/client-level-data');
    await context.close();
  }, 60_000);
});
