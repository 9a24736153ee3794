import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_TODAY } from '../support/database.ts';
import { expectAccessible, launchBrowser, newPage, signInByKeyboard, tabTo, visit } from '../support/browser.ts';
import { addDays } from '../../src/domain/dates.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';
import { addStatementLines, fundedDirectPayment } from '../../src/features/surplus/test-data.ts';

let t: TestApp;
let browser: Browser;
let unexplained: Awaited<ReturnType<typeof fundedDirectPayment>>;
let surplus: Awaited<ReturnType<typeof fundedDirectPayment>>;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  unexplained = await fundedDirectPayment(t.db, { givenName: 'Ulrika', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
  await addStatementLines(t.ownerDb, unexplained.id, [
    { on: '2026-10-02', pence: -20_000, description: 'CASH WITHDRAWAL' },
    { on: '2026-10-16', pence: -15_000, description: 'ONLINE PAYMENT 7731' },
  ]);
  // £200 a week, six payments of £800 in, £1,000 spent: £3,800 held, £1,600 contingency, £2,200 surplus.
  surplus = await fundedDirectPayment(t.db, { username: 'sunita', givenName: 'Sunita', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const setToday = (date: string) => {
  t.clock.today = () => date;
  t.clock.now = () => new Date(`${date}T12:00:00Z`);
};

async function press(page: Page, selector: string, max = 200) {
  await tabTo(page, selector, max);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

describe('proportionate monitoring and a fair surplus recovery', () => {
  it('a finance officer works the flagged list by keyboard, at desktop and at 320px', async () => {
    setToday(TEST_TODAY);
    for (const viewport of ['desktop', 'mobile'] as const) {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'finance');
      if (viewport === 'desktop') {
        await press(page, 'a[href="/monitoring"]');
        await expectAccessible(page, 'worklist');
      } else {
        await visit(page, t.baseUrl, '/monitoring');
      }
      const main = await page.textContent('main');
      expect(main).toContain(unexplained.reference);
      expect(main).toContain('£350.00 spent from the account in the last 12 months (2 payments) has not been matched to a receipt or explained yet.');
      expect(main).toContain(surplus.reference);
      expect(main).toContain('The account holds about £3,800.00, which is £2,200.00 more than the £1,600.00 kept for emergencies (8 weeks of payments).');
      expect(main).toMatch(/As at \d{1,2}:\d{2}(am|pm) on \d{1,2} [A-Z][a-z]+ \d{4}/);
      // The stored list is checked again on request (a form with its token), by keyboard.
      await press(page, 'form[action="/monitoring/refresh"] button');
      expect(new URL(page.url()).pathname).toBe('/monitoring');
      expect(await page.textContent('.govuk-notification-banner')).toContain('Checked again');
      expect(await page.textContent('main')).toContain(unexplained.reference);
      await expectAccessible(page, `worklist checked again (${viewport})`);

      await press(page, `a[href="/direct-payments/${unexplained.id}/monitoring"]`);
      expect(await page.textContent('main')).toContain('ONLINE PAYMENT 7731');
      await expectAccessible(page, `evidence (${viewport})`);

      if (viewport === 'desktop') {
        // The rules: a mistake is explained and kept, then put right.
        await visit(page, t.baseUrl, '/monitoring/settings');
        await tabTo(page, '#unexplained_spending-threshold');
        await page.keyboard.press('Control+A');
        await page.keyboard.type('lots');
        await press(page, 'form button.govuk-button');
        expect(await page.title()).toMatch(/^Error:/);
        expect(await page.textContent('.govuk-error-summary')).toContain('Enter the amount for unexplained spending in pounds, like 250');
        expect(await page.inputValue('#unexplained_spending-threshold')).toBe('lots');
        await expectAccessible(page, 'rules: error');
        await tabTo(page, '#unexplained_spending-threshold');
        await page.keyboard.press('Control+A');
        await page.keyboard.type('300');
        await press(page, 'form button.govuk-button');
        expect(new URL(page.url()).pathname).toBe('/monitoring');
        expect(await page.textContent('.govuk-notification-banner')).toContain('Monitoring rules saved');
        // £350 is still over £300.
        expect(await page.textContent('main')).toContain(unexplained.reference);
      } else {
        await visit(page, t.baseUrl, '/monitoring/settings');
      }
      await context.close();
    }
  });

  it('a practitioner takes a surplus through conversation, notice and recovery; the person reads the notice', async () => {
    setToday(TEST_TODAY);
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'practitioner');
    await visit(page, t.baseUrl, `/direct-payments/${surplus.id}/monitoring`);
    await press(page, `a[href="/direct-payments/${surplus.id}/surplus"]`);
    expect(await page.textContent('main')).toContain('£2,200.00');
    await expectAccessible(page, 'surplus: the sum');
    await press(page, 'form[action$="/surplus"] button');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Surplus opened');
    await expectAccessible(page, 'surplus: conversation form');

    // 1. The conversation: sent empty first, then filled in by keyboard.
    await press(page, 'form[action$="/conversation"] button');
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'surplus: conversation errors');
    await tabTo(page, '#heldOn-day');
    await page.keyboard.type('20');
    await page.keyboard.press('Tab');
    await page.keyboard.type('11');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2026');
    await tabTo(page, 'input[name="reason"]');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // not_needed
    expect(await page.isChecked('input[name="reason"][value="not_needed"]')).toBe(true);
    await tabTo(page, '#notes');
    await page.keyboard.type('Sunita stayed with her sister for two months, so her support was not used.');
    await tabTo(page, 'input[name="keep"]');
    await page.keyboard.press('ArrowDown'); // No: recover
    await tabTo(page, '#amount');
    await page.keyboard.type('2,000');
    await tabTo(page, 'input[name="method"]');
    await page.keyboard.press('Space'); // The person pays it back
    await press(page, 'form[action$="/conversation"] button');
    expect(await page.textContent('.govuk-notification-banner')).toContain('send the person written notice of the £2,000.00 to recover');

    // 2. Written notice, previewed first.
    expect(await page.textContent('main')).toContain('We plan to take back £2,000.00. We will ask you to pay it back to the council.');
    await expectAccessible(page, 'surplus: notice preview');
    await press(page, 'form[action$="/notice"] button');
    expect(await page.textContent('.govuk-notification-banner')).toContain('They can challenge it until 21 December 2026');
    expect(await page.locator('form[action$="/recovery"]').count()).toBe(0);
    await expectAccessible(page, 'surplus: challenge period');

    // The person reads it on a phone, by keyboard, and can download the letter.
    const phone = await newPage(browser, 'mobile');
    await signInByKeyboard(phone.page, t.baseUrl, 'sunita');
    await visit(phone.page, t.baseUrl, `/my/direct-payments/${surplus.id}/surplus`);
    const notice = await phone.page.textContent('main');
    expect(notice).toContain('About money left in your direct payment account');
    expect(notice).toContain('That leaves £2,200.00 unspent.');
    expect(notice).toContain('You can tell us you disagree until 21 December 2026');
    await tabTo(phone.page, `a[href="/my/direct-payments/${surplus.id}/surplus/letter"]`);
    const letter = await phone.page.request.get(`${t.baseUrl}/my/direct-payments/${surplus.id}/surplus/letter`);
    expect(letter.headers()['content-type']).toContain('application/pdf');
    await tabTo(phone.page, '#challenge');
    await visit(phone.page, t.baseUrl, `/my/direct-payments/${surplus.id}/checks`);
    expect(await phone.page.textContent('main')).toContain('This does not mean you have done anything wrong.');

    // 3. After the challenge period, the recovery, exactly once and within the surplus.
    setToday(addDays(TEST_TODAY, 29));
    await page.reload();
    await press(page, 'form[action$="/recovery"] button');
    expect(await page.textContent('.govuk-notification-banner')).toContain('£2,000.00 moved from the direct payment\'s account to money owed back');
    await expectAccessible(page, 'surplus: recovered');
    expect(await verifyLedger(t.db)).toEqual([]);

    await visit(phone.page, t.baseUrl, `/my/direct-payments/${surplus.id}/surplus`);
    expect(await phone.page.textContent('main')).toContain('On 22 December 2026 we recorded £2,000.00 to be paid back.');
    await phone.context.close();
    await context.close();
  });
});
