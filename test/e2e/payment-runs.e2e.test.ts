import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser, newPage, signInByKeyboard, visit, expectAccessible, tabTo } from '../support/browser.ts';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';
import { loadUser } from '../../src/platform/http/auth.ts';
import { agreedDirectPayment, setUpBacs } from '../../src/features/payment-runs/test-data.ts';
import { createPaymentRun } from '../../src/features/payment-runs/create-run.ts';
import { recordApproval } from '../../src/features/payment-runs/approve-run.ts';
import { demoIds } from '../support/builders.ts';
import { offsetFor } from '../integration/payment-runs-support.ts';

let t: TestApp;
let browser: Browser;
let runPath = '';
const dps: Record<string, { id: string }> = {};

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await setUpBacs(t.db);
  dps.ongoing = await agreedDirectPayment(t.db, { givenName: 'Olwen', kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350 });
  dps.oneOff = await agreedDirectPayment(t.db, { givenName: 'Osian', amountPence: 45000 });
  // £150 of surplus owed back, taken off Osian's payment by the run.
  const ids = await demoIds(t.db);
  await offsetFor(t.db, { id: dps.oneOff.id, council_id: ids.england }, 15_000, { id: ids.user('finance') });
  dps.nobank = await agreedDirectPayment(t.db, { givenName: 'Nia', amountPence: 30000, bank: { sortCode: null, accountNumber: null, accountName: null } });
  // Starting after the run's date, so the run does not pay it and its rate can change from December.
  dps.schedule = await agreedDirectPayment(t.db, { givenName: 'Siân', kind: 'ongoing', weeklyPence: 15500, contributionPence: 1500, startsOn: '2026-12-07' });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForNavigation(), page.click(`button:has-text("${button}")`)]);
}

async function fillDate(page: Page, name: string, iso: string) {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${name}-day`, d!);
  await page.fill(`#${name}-month`, m!);
  await page.fill(`#${name}-year`, y!);
}

describe('a payment run from start to paid', () => {
  it('a finance officer starts a run by keyboard, through an error, and sees what is due and the exceptions', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'finance');
    await visit(page, t.baseUrl, '/payment-runs');
    expect(await page.textContent('main')).toContain('There are no payment runs yet');

    await page.focus('body');
    await tabTo(page, 'a[href="/payment-runs/new"]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await expectAccessible(page, 'start a run');

    await tabTo(page, 'button.govuk-button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'start a run: no date');

    await tabTo(page, '#paymentDate-day');
    await page.keyboard.type('24');
    await page.keyboard.press('Tab');
    await page.keyboard.type('11');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2026');
    await tabTo(page, 'button.govuk-button', 3);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.textContent('.govuk-error-summary')).toContain('It is too late for money to arrive on 24 November 2026');
    expect(await page.inputValue('#paymentDate-day')).toBe('24');
    await expectAccessible(page, 'start a run: too late');

    await tabTo(page, '#paymentDate-day');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('27');
    await tabTo(page, 'button.govuk-button', 4);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    runPath = new URL(page.url()).pathname;
    expect(runPath).toMatch(/^\/payment-runs\/[0-9a-f-]{36}$/);
    const main = await page.textContent('main');
    expect(main).toContain('Money arriving on 27 November 2026');
    expect(main).toContain('No bank details.');
    expect(main).toContain('Ask another finance officer or a manager to check and approve this run');
    expect(main).toContain('less £150.00 surplus owed back');
    expect(main).toContain('£150.00 owed back, taken off 1 payment');
    await expectAccessible(page, 'the run, waiting for approval');
    await context.close();
  });

  it('a manager approves it with their password, after getting it wrong once', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'manager');
    await visit(page, t.baseUrl, runPath);
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Approve the payment run")')]);
    await expectAccessible(page, 'approve');
    await page.fill('#password', 'not my password');
    await submit(page, 'Approve the payment run');
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'approve: wrong password');
    await page.fill('#password', DEMO_PASSWORD);
    await submit(page, 'Approve the payment run');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Payment run approved');
    await expectAccessible(page, 'the run, approved');
    expect(await verifyLedger(t.db)).toEqual([]);
    await context.close();
  });

  it('the finance officer downloads the Bacs file, marks the run paid and records a return', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'finance');
    await visit(page, t.baseUrl, runPath);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Create the Bacs file")')]);
    expect(download.suggestedFilename()).toBe('bacs-2026-11-27-000001.txt');
    await visit(page, t.baseUrl, runPath);
    expect(await page.textContent('main')).toContain('You can download it again: it is the same file');

    await Promise.all([page.waitForNavigation(), page.click('a:has-text("mark the run as paid")')]);
    await expectAccessible(page, 'mark paid');
    await submit(page, 'Mark the run as paid');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Payment run marked as paid');
    await expectAccessible(page, 'the run, paid');

    await Promise.all([page.waitForNavigation(), page.locator('a:has-text("Record as returned")').first().click()]);
    await expectAccessible(page, 'record a return');
    await submit(page, 'Record as returned');
    await expectAccessible(page, 'record a return: no reason');
    await page.check('input[value="account_closed"]');
    await submit(page, 'Record as returned');
    expect(await page.textContent('.govuk-notification-banner')).toContain('recorded as returned');
    await visit(page, t.baseUrl, '/payment-runs');
    expect(await page.textContent('main')).toContain('Returned payments to sort out');
    expect(await verifyLedger(t.db)).toEqual([]);
    await context.close();
  });

  it('the finance officer checks the payment settings, through an error', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'finance');
    await visit(page, t.baseUrl, '/payment-runs/settings');
    await page.fill('#serviceUserNumber', '12');
    await submit(page, 'Save payment settings');
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'settings: errors');
    await page.fill('#serviceUserNumber', '123456');
    await submit(page, 'Save payment settings');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Payment settings saved');
    await context.close();
  });

  it('every page works at 320px wide', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'finance');
    for (const path of ['/payment-runs', runPath, '/payment-runs/new', '/payment-runs/settings', `${runPath}/approve`, `/direct-payments/${dps.ongoing!.id}/payments`, `/direct-payments/${dps.oneOff!.id}/surplus`]) {
      const res = await page.goto(t.baseUrl + path);
      expect(res?.status(), path).toBeLessThan(500);
      await expectAccessible(page, `${path} at 320px`);
    }
    await context.close();
  });
});

describe('a run that stopped part-way', () => {
  it('says so, and carries on from where it stopped when asked (desktop, by keyboard)', async () => {
    // Approved, but the service stopped before sending any payment through the ledger.
    const [finance, manager] = await Promise.all(['finance', 'manager'].map(async (u) => loadUser(t, (await t.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id)));
    await agreedDirectPayment(t.db, { givenName: 'Later', amountPence: 12000, startsOn: '2026-12-02' });
    const { run } = await createPaymentRun(t.db, { user: finance!, wanted: '2026-12-04', today: '2026-11-23' });
    await recordApproval(t.db, { runId: run.id, user: manager!, today: '2026-11-23' });
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'manager');
    await visit(page, t.baseUrl, `/payment-runs/${run.id}`);
    expect(await page.textContent('main')).toContain('This run stopped part-way');
    await page.focus('body');
    await tabTo(page, 'form[action$="/continue"] button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.textContent('main')).not.toContain('This run stopped part-way');
    expect(await page.textContent('main')).toContain('A finance officer creates the Bacs file');
    await expectAccessible(page, 'the run, carried on');
    expect(await verifyLedger(t.db)).toEqual([]);
    await context.close();
  });
});

describe('a direct payment’s schedule', () => {
  for (const viewport of ['desktop', 'mobile'] as const) {
    it(`a practitioner changes the rate, suspends, resumes and ends payments, through errors (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      const base = `/direct-payments/${dps.schedule!.id}/schedule`;
      await visit(page, t.baseUrl, base);
      if (viewport === 'mobile') {
        for (const action of ['rate', 'suspend', 'end']) await visit(page, t.baseUrl, `${base}/${action}`);
        await context.close();
        return;
      }
      await visit(page, t.baseUrl, `${base}/rate`);
      await submit(page, 'Save the new rate');
      await expectAccessible(page, 'rate: errors');
      await fillDate(page, 'from', '2026-12-21');
      await page.fill('#weeklyAmount', '165');
      await page.fill('#weeklyContribution', '15');
      await page.fill('#reason', 'April uplift, early');
      await submit(page, 'Save the new rate');
      expect(await page.textContent('.govuk-notification-banner')).toContain('New rate saved');
      await expectAccessible(page, 'schedule after a new rate');

      await visit(page, t.baseUrl, `${base}/suspend`);
      await submit(page, 'Suspend payments');
      await expectAccessible(page, 'suspend: errors');
      await fillDate(page, 'from', '2027-01-04');
      await page.fill('#reason', 'A stay in hospital');
      await submit(page, 'Suspend payments');
      expect(await page.textContent('main')).toContain('A stay in hospital');

      await visit(page, t.baseUrl, `${base}/resume`);
      await fillDate(page, 'from', '2027-01-04');
      await submit(page, 'Resume payments');
      await expectAccessible(page, 'resume: errors');
      await fillDate(page, 'from', '2027-01-18');
      await submit(page, 'Resume payments');
      expect(await page.textContent('.govuk-notification-banner')).toContain('Payments resumed');

      await visit(page, t.baseUrl, `${base}/end`);
      await fillDate(page, 'endsOn', '2027-03-31');
      await page.fill('#reason', 'Moving to another council');
      await submit(page, 'Continue');
      await expectAccessible(page, 'end: check the closing balance');
      await submit(page, 'End the payments');
      expect(await page.textContent('main')).toContain('Closing balance');
      await expectAccessible(page, 'schedule after ending');
      await context.close();
    });
  }
});
