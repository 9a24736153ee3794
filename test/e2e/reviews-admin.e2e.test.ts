import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { chooseRadio, expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, submitByKeyboard, tabTo, visit } from '../support/browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
});
afterAll(() => stopAppAndBrowser(t, browser));

describe('reviews', () => {
  // Each size records a different person's review from the demo: Kate's overdue regular review,
  // and the check-back on Peter's cooker.
  const journeys = [
    { viewport: 'desktop', person: 'Kate Fletcher', oneOff: false },
    { viewport: 'mobile', person: 'Peter Walsh', oneOff: true },
  ] as const;

  for (const { viewport, person, oneOff } of journeys) {
    it(`a practitioner opens Reviews due and records a review by keyboard (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      await visit(page, t.baseUrl, '/reviews');
      if (!oneOff) expect(await page.locator('tr', { hasText: person }).locator('.govuk-tag--red').textContent()).toContain('Overdue by 60 days');
      const row = page.locator('tr', { hasText: person }).first();
      const href = await row.locator('a[href*="/reviews/new?review="]').getAttribute('href');
      await tabTo(page, `a[href="${href}"]`);
      await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/reviews/new')), page.keyboard.press('Enter')]);
      await expectAccessible(page, 'record a review');
      expect(await page.textContent('h1')).toContain(oneOff ? 'Record the check-back' : 'Record a review');

      // Sent empty: every problem listed, accessibly.
      await submitByKeyboard(page);
      expect(await page.title()).toMatch(/^Error:/);
      await expectAccessible(page, 'record a review: errors');

      const outcomes = await page.$$eval('input[type="radio"][name^="outcome-"][value="met"]', (els) => els.map((e) => (e as HTMLInputElement).name));
      await page.focus('h1');
      for (const name of outcomes) await chooseRadio(page, name, 'met');
      await chooseRadio(page, 'outcomesMet', 'met');
      await chooseRadio(page, 'working', 'yes');
      await chooseRadio(page, 'changes', oneOff ? 'none' : 'more');
      if (!oneOff) {
        await tabTo(page, '#whatChanged');
        await page.keyboard.type('Cover for nights when a PA is off sick');
      }
      await tabTo(page, '#notes');
      await page.keyboard.type('Talked it through at home.');
      if (!oneOff) expect(await page.inputValue('#nextReview-year')).toBe('2027');
      await submitByKeyboard(page);

      expect(new URL(page.url()).pathname).toMatch(/^\/reviews\/[0-9a-f-]{36}$/);
      await expectAccessible(page, 'review recorded');
      expect(await page.textContent('.govuk-notification-banner')).toContain(oneOff ? 'Check-back recorded' : 'Review recorded');
      expect(await page.textContent('main')).toContain('Talked it through at home.');
      await context.close();
    });
  }

  it('a practitioner asks for an extra review, fixing a mistake on the way', async () => {
    for (const viewport of ['desktop', 'mobile'] as const) {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      const dp = await t.db
        .selectFrom('direct_payments')
        .innerJoin('people', 'people.id', 'direct_payments.person_id')
        .select('direct_payments.id')
        .where('people.given_name', '=', 'Anwen')
        .executeTakeFirstOrThrow();
      await visit(page, t.baseUrl, `/direct-payments/${dp.id}/reviews/extra`);
      await page.check('input[name="reason"][value="concern"]');
      await page.fill('#dueOn-day', '31');
      await page.fill('#dueOn-month', '2');
      await page.fill('#dueOn-year', '2027');
      await Promise.all([page.waitForNavigation(), page.click('form button.govuk-button')]);
      expect(await page.title()).toMatch(/^Error:/);
      expect(await page.textContent('.govuk-error-summary')).toContain('Say what has happened');
      await expectAccessible(page, 'extra review: errors');
      await page.fill('#because', 'Her PA has left and she is managing alone');
      await page.fill('#dueOn-day', '14');
      await page.fill('#dueOn-month', '12');
      await page.fill('#dueOn-year', '2026');
      await Promise.all([page.waitForNavigation(), page.click('form button.govuk-button')]);
      await expectAccessible(page, 'extra review asked for');
      expect(await page.textContent('.govuk-notification-banner')).toContain('It is due by 14 December 2026');
      // John's direct payment is still with the panel: nothing to review yet.
      const johns = await t.db
        .selectFrom('direct_payments')
        .innerJoin('people', 'people.id', 'direct_payments.person_id')
        .select('direct_payments.id')
        .where('people.given_name', '=', 'John')
        .executeTakeFirstOrThrow();
      await visit(page, t.baseUrl, `/direct-payments/${johns.id}/reviews/new`);
      expect(await page.textContent('h1')).toContain('There is nothing to review yet');
      await context.close();
    }
  });
});

describe('administration', () => {
  for (const viewport of ['desktop', 'mobile'] as const) {
    it(`an administrator reads the audit log and adds a user (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'admin');
      expect(new URL(page.url()).pathname).toBe('/admin/users');
      await expectAccessible(page, 'users');

      // Enough entries for a second page.
      const gareth = await t.db.selectFrom('users').select(['id', 'username', 'role']).where('username', '=', 'practitioner').executeTakeFirstOrThrow();
      await t.db.insertInto('audit_log').values(Array.from({ length: 60 }, () => ({ user_id: gareth.id, username: gareth.username, role: gareth.role, action: 'view', entity_type: 'people-list' }))).execute();
      await visit(page, t.baseUrl, '/admin/audit');
      expect(await page.textContent('caption')).toMatch(/\d+ entries/);
      const peter = await t.db.selectFrom('people').select('reference').where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
      await page.fill('#person', peter.reference);
      await page.selectOption('#action', 'view');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Filter the log")')]);
      expect(page.url()).toContain(`person=${peter.reference}`);
      expect(page.url()).not.toMatch(/Peter|Walsh/);
      await expectAccessible(page, 'audit log filtered');
      await page.fill('#person', 'Peter Walsh');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Filter the log")')]);
      expect(await page.textContent('.govuk-error-summary')).toContain('Enter a person reference in the correct format');
      await expectAccessible(page, 'audit log: bad reference');
      await page.goto(`${t.baseUrl}/admin/audit?page=2`);
      await expectAccessible(page, 'audit log page 2');

      // Add a user, by keyboard, getting it wrong first.
      await visit(page, t.baseUrl, '/admin/users/new');
      await page.focus('#displayName');
      await page.keyboard.type('Dee Kaur');
      await submitByKeyboard(page);
      expect(await page.title()).toMatch(/^Error:/);
      await expectAccessible(page, 'add a user: errors');
      expect(await page.inputValue('#displayName')).toBe('Dee Kaur');
      const username = `d.kaur.${viewport}`;
      await page.focus('#username');
      await page.keyboard.type(username);
      await page.keyboard.press('Tab');
      await page.keyboard.type(`${username}@eastmoor.example.gov.uk`);
      await chooseRadio(page, 'role', 'manager');
      await tabTo(page, '#password');
      await page.keyboard.type('a long and private passphrase');
      await submitByKeyboard(page);
      await expectAccessible(page, 'user added');
      expect(await page.textContent('.govuk-notification-banner')).toContain('Dee Kaur has been added');

      await Promise.all([page.waitForNavigation(), page.click('a:has-text("Deactivate this user")')]);
      await expectAccessible(page, 'deactivate a user');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Yes, deactivate")')]);
      expect(await page.textContent('.govuk-notification-banner')).toContain('Dee Kaur has been deactivated');
      await expectAccessible(page, 'user deactivated');
      await context.close();
    });
  }
});
