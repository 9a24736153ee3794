import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import {
  expectAccessible,
  expectErrorSummary,
  follow,
  mainText,
  newPage,
  screenshotPath,
  signInByKeyboard,
  startAppAndBrowser,
  stopAppAndBrowser,
  submitByKeyboard,
  typeInto,
} from '../support/browser.ts';
import { approvedDirectPayment } from '../../src/features/payments/test-data.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
});
afterAll(async () => {
  await stopAppAndBrowser(t, browser);
});

const path = (page: Page) => new URL(page.url()).pathname;

describe('giving a person their own sign-in', () => {
  it('a practitioner gives a person a sign-in; the person signs in, chooses a password and reaches their home (320px, keyboard only)', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Megan', purpose: 'A riser recliner chair' });
    const other = await approvedDirectPayment(t.db, { givenName: 'Someone', purpose: 'Someone else’s laptop' });
    const { context, page } = await newPage(browser, 'mobile');

    // The practitioner finds the person and gives them a sign-in.
    await signInByKeyboard(page, t.baseUrl, 'practitioner');
    expect(path(page)).toBe('/people');
    await follow(page, `a[href="/people/${dp.personId}"]`);
    await expectAccessible(page, 'the person’s record');
    expect(await mainText(page)).toContain('Megan Tester does not have a sign-in yet');
    await follow(page, `a[href="/people/${dp.personId}/sign-in"]`);
    expect(await page.title()).toContain('Give Megan Tester a sign-in');
    await expectAccessible(page, 'the sign-in form');

    // A username someone has already, and an email that is not one: the form keeps both.
    await typeInto(page, '#username', 'rhys');
    await typeInto(page, '#email', 'megan-at-home');
    await submitByKeyboard(page);
    await expectErrorSummary(page, 'the sign-in form with errors', 'That username is already taken: choose another', 'Enter an email address in the correct format');
    expect(await page.inputValue('#username')).toBe('rhys');
    expect(await page.inputValue('#email')).toBe('megan-at-home');

    await typeInto(page, '#username', 'megan.t');
    await typeInto(page, '#email', '');
    await submitByKeyboard(page);
    expect(await page.title()).toContain('Megan Tester has a sign-in');
    await expectAccessible(page, 'the temporary password, shown once');
    await page.screenshot({ path: screenshotPath('own-sign-in-temporary-password'), fullPage: true });
    const temporary = (await page.textContent('#temporary-password'))!.trim();
    expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await page.textContent('#username-value')).toBe('megan.t');

    // Back on the record, the sign-in is there, waiting to be used; then the practitioner signs out.
    await follow(page, `a[href="/people/${dp.personId}#sign-in"]`);
    expect(await mainText(page)).toContain('megan.t');
    expect(await mainText(page)).not.toContain(temporary);
    await page.screenshot({ path: screenshotPath('own-sign-in-record'), fullPage: true });
    await page.goto(`${t.baseUrl}/sign-out`);
    await expectAccessible(page, '/sign-out');
    await submitByKeyboard(page);
    expect(path(page)).toBe('/signed-out');

    // The person signs in with the temporary password, by keyboard.
    await page.goto(`${t.baseUrl}/sign-in`);
    await typeInto(page, '#username', 'megan.t');
    await typeInto(page, '#password', temporary);
    await submitByKeyboard(page);
    expect(path(page)).toBe('/sign-in/new-password');
    expect(await page.title()).toContain('Choose a new password');
    expect(await mainText(page)).toContain('3 random words');
    await expectAccessible(page, 'choose a new password');

    // Too short, then the temporary one again: each refused with the GOV.UK error summary.
    await typeInto(page, '#password', 'short');
    await submitByKeyboard(page);
    await expectErrorSummary(page, 'new password too short', 'Password must be 12 characters or more');
    await page.screenshot({ path: screenshotPath('own-sign-in-new-password-error'), fullPage: true });
    expect(await page.inputValue('#password')).toBe('');
    await typeInto(page, '#password', temporary);
    await submitByKeyboard(page);
    await expectErrorSummary(page, 'new password same as the temporary one', 'Your new password must be different from the temporary password');

    await typeInto(page, '#password', 'marmalade harbour bicycle');
    await submitByKeyboard(page);
    expect(path(page)).toMatch(/^\/my/);
    const home = await mainText(page);
    expect(home).toContain('Your new password has been saved');
    expect(home).toContain('A riser recliner chair');
    expect(home).not.toContain('Someone else’s laptop');
    await expectAccessible(page, 'the person’s home');
    const res = await page.goto(`${t.baseUrl}/my/direct-payments/${other.id}`);
    expect(res?.status()).toBe(404);
    await context.close();
  });

  it('a manager gives a representative a sign-in, turns it off and back on, each page checked (320px, keyboard only)', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Tegid' });
    const rep = await t.db
      .insertInto('representatives')
      .values({ person_id: dp.personId, name: 'Lowri Tester', relationship: 'Daughter', kind: 'nominated', receives_payment: false, starts_on: '2026-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = `/people/${dp.personId}/representatives/${rep.id}/sign-in`;
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'manager');
    await page.goto(`${t.baseUrl}/people/${dp.personId}`);
    await follow(page, `a[href="${base}"]`);
    await expectAccessible(page, 'a representative’s sign-in form');
    expect(await mainText(page)).toContain('can see Tegid’s direct payment and manage it for them');
    await typeInto(page, '#username', 'lowri.t');
    await submitByKeyboard(page);
    expect(await page.title()).toContain('Lowri Tester has a sign-in');
    await expectAccessible(page, 'a representative’s temporary password');

    await follow(page, `a[href="/people/${dp.personId}#sign-in"]`);
    await follow(page, `a[href="${base}/turn-off"]`);
    expect(await page.title()).toContain('Turn off Lowri Tester’s sign-in');
    await expectAccessible(page, 'turn off a sign-in');
    await submitByKeyboard(page);
    expect(await mainText(page)).toContain('Lowri Tester’s sign-in has been turned off');
    await expectAccessible(page, 'the record after turning a sign-in off');

    await follow(page, `a[href="${base}/reset"]`, { fromTop: true });
    await expectAccessible(page, 'give a new temporary password');
    await submitByKeyboard(page);
    expect(await page.title()).toContain('New temporary password for Lowri Tester');
    await expectAccessible(page, 'the new temporary password');
    const user = await t.db.selectFrom('users').select(['active', 'must_change_password', 'role']).where('username', '=', 'lowri.t').executeTakeFirstOrThrow();
    expect(user).toEqual({ active: true, must_change_password: true, role: 'representative' });
    await context.close();
  });
});
