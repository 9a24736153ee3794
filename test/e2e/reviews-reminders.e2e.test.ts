import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { chooseRadio, expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, submitByKeyboard, tabTo, typeInto, visit } from '../support/browser.ts';
import { runJob } from '../../src/platform/jobs.ts';

// One journey: the morning's reminder job tells Gareth that Kate's review is overdue; he follows the
// reminder and records the review, with more support and a new weekly amount; the administrator
// reads the outbox; the next morning's job invites Kate to the survey, which she answers by
// keyboard on a 320px screen.
let t: TestApp;
let browser: Browser;
let kateReviewId: string;

beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  const kate = await t.db
    .selectFrom('reviews')
    .innerJoin('direct_payments as dp', 'dp.id', 'reviews.direct_payment_id')
    .innerJoin('people', 'people.id', 'dp.person_id')
    .select('reviews.id')
    .where('people.given_name', '=', 'Kate')
    .where('reviews.completed_on', 'is', null)
    .executeTakeFirstOrThrow();
  kateReviewId = kate.id;
  await runJob(t, 'reviews.reminders');
});
afterAll(() => stopAppAndBrowser(t, browser));

describe('review reminders, the outbox and the survey', () => {
  it('a practitioner follows an in-app reminder and records the review with more support (desktop, then 320px)', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'practitioner');
    expect(await page.textContent('.govuk-service-navigation')).toMatch(/Notifications \(\d+ new\)/);
    await tabTo(page, 'a[href="/notifications"]');
    await Promise.all([page.waitForURL((u) => u.pathname === '/notifications'), page.keyboard.press('Enter')]);
    await expectAccessible(page, 'notifications');
    const reminder = page.locator(`a[href="/reviews/${kateReviewId}"]`);
    expect(await reminder.textContent()).toContain('Review overdue');
    await tabTo(page, `a[href="/reviews/${kateReviewId}"]`);
    await Promise.all([page.waitForURL((u) => u.pathname === `/reviews/${kateReviewId}`), page.keyboard.press('Enter')]);
    await expectAccessible(page, 'the overdue review');
    await tabTo(page, `a[href*="/reviews/new?review=${kateReviewId}"]`);
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/reviews/new')), page.keyboard.press('Enter')]);
    await expectAccessible(page, 'record a review');

    const outcomes = await page.$$eval('input[type="radio"][name^="outcome-"][value="partly"]', (els) => els.map((e) => (e as HTMLInputElement).name));
    await page.focus('h1');
    for (const name of outcomes) await chooseRadio(page, name, 'partly');
    await chooseRadio(page, 'outcomesMet', 'partly');
    await chooseRadio(page, 'working', 'yes');
    await chooseRadio(page, 'changes', 'more');
    await typeInto(page, '#whatChanged', 'Two more nights a week from the co-operative');
    // A new amount that is not more: refused, with what was typed kept.
    const now = Number(/It is £([\d,.]+) a week now/.exec((await page.textContent('#newWeekly-hint')) ?? '')![1]!.replace(/,/g, ''));
    await typeInto(page, '#newWeekly', String(now - 10));
    const example = /For example, (\d+) (\d+) (\d+)\./.exec((await page.textContent('#newWeeklyFrom-hint')) ?? '')!;
    await typeInto(page, '#newWeeklyFrom-day', example[1]!);
    await page.keyboard.press('Tab');
    await page.keyboard.type(example[2]!);
    await page.keyboard.press('Tab');
    await page.keyboard.type(example[3]!);
    await submitByKeyboard(page);
    expect(await page.title()).toMatch(/^Error:/);
    expect(await page.textContent('.govuk-error-summary')).toContain('For more support, the new weekly amount must be more than');
    await expectAccessible(page, 'record a review: errors');
    await page.focus('#newWeekly');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(now + 120));
    await submitByKeyboard(page);

    expect(new URL(page.url()).pathname).toBe(`/reviews/${kateReviewId}`);
    await expectAccessible(page, 'review recorded');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The weekly amount changes to');
    expect(await page.textContent('main')).toContain('The plan needs to change');
    const rates = await t.db.selectFrom('payment_schedule_rates').select('weekly_amount_pence').execute();
    expect(rates.map((r) => r.weekly_amount_pence)).toContain(Math.round((now + 120) * 100));

    // The same pages at 320px, with nothing new left to read.
    await page.setViewportSize({ width: 320, height: 640 });
    await visit(page, t.baseUrl, '/notifications');
    expect(await page.locator('.govuk-tag--blue').count()).toBe(0);
    await visit(page, t.baseUrl, `/reviews/${kateReviewId}`);
    await context.close();
  });

  it('an administrator reads the outbox (desktop and 320px)', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'admin');
    await visit(page, t.baseUrl, '/admin/outbox');
    expect(await page.textContent('main')).toContain('Review overdue');
    expect(await page.textContent('main')).toContain('Recorded, not sent');
    // Open one message's words by keyboard, at 320px.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.focus('#template');
    await tabTo(page, '.govuk-details__summary');
    await page.keyboard.press('Enter');
    expect(await page.locator('details[open]').count()).toBe(1);
    await expectAccessible(page, 'outbox at 320px, a message open');
    await context.close();
  });

  it('the person is invited to the survey and answers it by keyboard at 320px', async () => {
    await runJob(t, 'feedback.invitations');
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'kate');
    await visit(page, t.baseUrl, '/notifications');
    const link = page.locator(`a[href="/my/feedback/"], a[href*="/review-${kateReviewId}"]`).first();
    expect(await link.textContent()).toContain('How did the review go?');
    await tabTo(page, `a[href*="/review-${kateReviewId}"]`);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/my/feedback/')), page.keyboard.press('Enter')]);
    await expectAccessible(page, 'the survey');

    await submitByKeyboard(page);
    expect(await page.title()).toMatch(/^Error:/);
    expect(await page.textContent('.govuk-error-summary')).toContain('Select whether the direct payment is helping');
    await expectAccessible(page, 'the survey: errors');

    await page.focus('h1');
    await chooseRadio(page, 'helps', 'a_lot');
    await chooseRadio(page, 'easy', 'fairly_easy');
    await chooseRadio(page, 'listened', 'mostly');
    await typeInto(page, '#better', 'Please tell me the new amount in writing too');
    await submitByKeyboard(page);
    expect(new URL(page.url()).pathname).toBe('/my/feedback');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Thank you for your answers');
    await expectAccessible(page, 'after the survey');
    const saved = await t.db.selectFrom('feedback_responses').selectAll().where('moment_key', '=', `review:${kateReviewId}`).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ helps: 'a_lot', easy: 'fairly_easy', listened: 'mostly', answered_as: 'recipient' });
    await context.close();

    // The manager's summary counts it.
    const manager = await newPage(browser, 'desktop');
    await signInByKeyboard(manager.page, t.baseUrl, 'manager');
    await visit(manager.page, t.baseUrl, '/feedback');
    expect(await manager.page.textContent('main')).toContain('Please tell me the new amount in writing too');
    await manager.context.close();
  });
});
