import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, follow, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, typeInto, visit } from '../support/browser.ts';

let t: TestApp;
let browser: Browser;
let anwensDp: string;
let dewisDp: string;

const dpOf = async (givenName: string) =>
  (await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', givenName).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  [anwensDp, dewisDp] = await Promise.all([dpOf('Anwen'), dpOf('Dewi')]);
});
afterAll(() => stopAppAndBrowser(t, browser));

const SEND = 'form button.govuk-button';

describe('contact and complaints', () => {
  it('a recipient asks about a new idea, a practitioner replies, the recipient reads it and makes a complaint; a manager sees it on the list (keyboard, desktop)', async () => {
    // The recipient asks, by keyboard, getting it wrong first.
    const anwen = await newPage(browser, 'desktop');
    let page = anwen.page;
    await signInByKeyboard(page, t.baseUrl, 'anwen');
    await follow(page, `a[href="/my/direct-payments/${anwensDp}/contact"]`);
    await expectAccessible(page, 'contact us');
    await follow(page, `a[href="/my/direct-payments/${anwensDp}/contact/new/idea"]`);
    await expectAccessible(page, 'new idea');
    expect(await page.textContent('h1')).toBe('Ask us about a new idea');
    await follow(page, SEND);
    expect(await page.title()).toMatch(/^Error:/);
    expect(await page.textContent('.govuk-error-summary')).toContain('Tell us your idea');
    await expectAccessible(page, 'new idea: error');
    await typeInto(page, '#message', 'A gym pass instead of one PA morning a week, so I can get stronger.');
    await follow(page, SEND);
    expect(new URL(page.url()).pathname).toMatch(/^\/my\/contact\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Your idea has been sent');
    await expectAccessible(page, 'idea sent');
    const threadPath = new URL(page.url()).pathname;

    // The practitioner finds it in the inbox and replies.
    const gareth = await newPage(browser, 'desktop');
    const staff = gareth.page;
    await signInByKeyboard(staff, t.baseUrl, 'practitioner');
    await follow(staff, 'a[href="/contact"]');
    await expectAccessible(staff, 'contact requests');
    const requestId = threadPath.split('/').pop()!;
    await follow(staff, `a[href="/contact/${requestId}"]`);
    await expectAccessible(staff, 'contact request');
    await typeInto(staff, '#message', 'That sounds a good idea, Anwen. Shall we talk it through on Thursday?');
    await follow(staff, `form[action="/contact/${requestId}/reply"] button`);
    expect(await staff.textContent('.govuk-notification-banner')).toContain('Reply sent');
    await gareth.context.close();

    // The recipient reads the reply.
    await page.goto(t.baseUrl + threadPath);
    expect(await page.textContent('main')).toContain('Shall we talk it through on Thursday?');
    expect(await page.textContent('main')).toContain('Eastmoor County Council has replied');

    // …and makes a complaint, and sees where to take it next.
    await page.goto(`${t.baseUrl}/my/direct-payments/${anwensDp}/contact`);
    await follow(page, `a[href="/my/direct-payments/${anwensDp}/complaints/new"]`);
    await expectAccessible(page, 'make a complaint');
    await typeInto(page, '#summary', 'My payment arrived a week late and my PA was not paid on time.');
    await typeInto(page, '#wantedOutcome', 'Make sure it does not happen again.');
    await follow(page, SEND);
    expect(new URL(page.url()).pathname).toMatch(/^\/my\/complaints\/[0-9a-f-]{36}$/);
    const main = await page.textContent('main');
    expect(main).toContain('Your complaint has been sent');
    expect(main).toContain('By 26 November 2026');
    expect(main).toContain('Local Government and Social Care Ombudsman');
    expect(main).toContain('0300 061 0614');
    await expectAccessible(page, 'complaint made');
    await anwen.context.close();

    // A manager sees it on the list, due soon, and records the acknowledgement.
    const jo = await newPage(browser, 'desktop');
    page = jo.page;
    await signInByKeyboard(page, t.baseUrl, 'manager');
    await follow(page, 'a[href="/complaints"]');
    await expectAccessible(page, 'complaints list');
    const row = page.locator('tr', { hasText: 'Anwen Price' });
    expect(await row.textContent()).toContain('Acknowledge by 26 November 2026');
    expect(await row.locator('.govuk-tag').textContent()).toContain('Due soon');
    const href = await row.locator('a').first().getAttribute('href');
    await follow(page, `a[href="${href}"]`);
    await expectAccessible(page, 'complaint');
    await follow(page, 'form[action$="/acknowledge"] button');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Acknowledgement recorded');
    expect(await page.textContent('main')).toContain('Done in time');
    await jo.context.close();
  });

  it('the same pages at 320px, with their error states', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'anwen');
    await visit(page, t.baseUrl, `/my/direct-payments/${anwensDp}/contact`);
    await visit(page, t.baseUrl, `/my/direct-payments/${anwensDp}/contact/new/reassessment`);
    await follow(page, SEND);
    await expectAccessible(page, 'reassessment: error at 320px');
    const request = await t.db.selectFrom('contact_requests').select('id').where('direct_payment_id', '=', anwensDp).executeTakeFirstOrThrow();
    await visit(page, t.baseUrl, `/my/contact/${request.id}`);
    await visit(page, t.baseUrl, `/my/direct-payments/${anwensDp}/complaints/new`);
    await follow(page, SEND);
    expect(await page.textContent('.govuk-error-summary')).toContain('Tell us what has gone wrong');
    await expectAccessible(page, 'complaint: error at 320px');
    const complaint = await t.db.selectFrom('complaints').select('id').where('direct_payment_id', '=', anwensDp).executeTakeFirstOrThrow();
    await visit(page, t.baseUrl, `/my/complaints/${complaint.id}`);
    await context.close();

    const staff = await newPage(browser, 'mobile');
    await signInByKeyboard(staff.page, t.baseUrl, 'manager');
    await visit(staff.page, t.baseUrl, '/contact');
    await visit(staff.page, t.baseUrl, '/complaints');
    await visit(staff.page, t.baseUrl, `/complaints/${complaint.id}`);
    await staff.page.goto(`${t.baseUrl}/complaints/new`);
    await follow(staff.page, 'form[action="/complaints/new"] button');
    expect(await staff.page.title()).toMatch(/^Error:/);
    await expectAccessible(staff.page, 'log a complaint: errors at 320px');
    await staff.context.close();
  });

  it('in Welsh at 320px: a person of a Welsh council asks about a new idea and makes a complaint, and is told about the Public Services Ombudsman for Wales', async () => {
    for (const viewport of ['mobile'] as const) {
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'dewi');
      await visit(page, t.baseUrl, `/my/direct-payments/${dewisDp}/contact`);
      expect(await page.getAttribute('html', 'lang')).toBe('cy');
      expect(await page.textContent('h1')).toBe('Cysylltu â ni');
      await follow(page, `a[href="/my/direct-payments/${dewisDp}/contact/new/idea"]`);
      expect(await page.textContent('h1')).toBe('Gofyn i ni am syniad newydd');
      await follow(page, SEND);
      expect(await page.textContent('.govuk-error-summary')).toContain('Dywedwch wrthon ni beth yw eich syniad');
      await expectAccessible(page, `syniad newydd: gwall (${viewport})`);
      await typeInto(page, '#message', 'Hoffwn i fynd i’r pwll nofio gyda ffrind');
      await follow(page, SEND);
      expect(await page.textContent('.govuk-notification-banner')).toContain('Mae eich syniad wedi’i anfon');
      await expectAccessible(page, `syniad wedi’i anfon (${viewport})`);

      await visit(page, t.baseUrl, `/my/direct-payments/${dewisDp}/complaints/new`);
      expect(await page.textContent('h1')).toBe('Gwneud cwyn');
      await typeInto(page, '#summary', 'Ches i ddim gwybod bod y sesiynau wedi dod i ben');
      await follow(page, SEND);
      const main = await page.textContent('main');
      expect(main).toContain('Mae eich cwyn wedi’i hanfon');
      expect(main).toContain('Ombwdsmon Gwasanaethau Cyhoeddus Cymru');
      expect(main).toContain('0300 790 0203');
      expect(main).toContain('Erbyn 25 Tachwedd 2026');
      await expectAccessible(page, `cwyn (${viewport})`);
      await context.close();
    }
  });
});
