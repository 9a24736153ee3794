import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, follow, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, typeInto } from '../support/browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
});
afterAll(() => stopAppAndBrowser(t, browser));

describe('employing PAs and pooling, by keyboard', () => {
  it('Anwen adds a PA by keyboard and reads her checklist (desktop), then at 320px', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'anwen');
    await follow(page, 'a[href$="/employer"]', { fromTop: true });
    await expectAccessible(page, 'employer overview');
    const main = await page.textContent('main');
    expect(main).toContain('Renews on');
    expect(main).toContain('A new legal minimum of £13.18 an hour');
    expect(main).toContain('close relative');

    await follow(page, 'a[href$="/employer/assistants/new"]', { fromTop: true });
    await expectAccessible(page, 'add a PA');
    await tabTo(page, 'button.govuk-button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.title()).toMatch(/^Error:/);
    await expectAccessible(page, 'add a PA: errors');

    await page.focus('body');
    await typeInto(page, '#name', 'Ceri Jones');
    await typeInto(page, '#role', 'Evening support');
    await typeInto(page, '#startsOn-day', '1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2026');
    await typeInto(page, '#weeklyHours', '6');
    await typeInto(page, '#hourlyRate', '10.00');
    await typeInto(page, '#payrollProvider', 'Eastmoor Payroll Services');
    await tabTo(page, 'button.govuk-button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    // £10.00 is below the National Living Wage: refused, with what was typed kept.
    expect(await page.textContent('.govuk-error-summary')).toContain('Their pay must be at least £12.71 an hour');
    expect(await page.inputValue('#name')).toBe('Ceri Jones');
    await expectAccessible(page, 'add a PA: below the minimum');
    await page.focus('#hourlyRate');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('13.50');
    await tabTo(page, 'button.govuk-button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Ceri Jones has been added');
    expect(await page.textContent('main')).toContain('£13.50 an hour, paid monthly');
    await expectAccessible(page, 'employer overview after adding');

    // The same person on a phone: 320px wide.
    await page.setViewportSize({ width: 320, height: 640 });
    await expectAccessible(page, 'employer overview at 320px');
    await follow(page, 'a[href^="/my/assistants/"]', { fromTop: true });
    await expectAccessible(page, 'a PA’s details and hours at 320px');
    expect(await page.textContent('main')).toContain('Hours worked');
    await page.goBack();
    await follow(page, 'a[href$="/employer/checklist"]', { fromTop: true });
    await expectAccessible(page, 'checklist at 320px');
    await context.close();
  });

  it('Dewi, a pool member, reads his share in Welsh at 320px, by keyboard', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'dewi');
    await follow(page, 'a[href$="/pools"]', { fromTop: true });
    await expectAccessible(page, 'my pools at 320px');
    const main = await page.textContent('main');
    expect(main).toContain('Gorwellion Newydd');
    expect(main).toContain('Eich cyfran yw 2 o 3 rhan');
    expect(main).toContain('Eich rhan chi oedd £180.00');
    await context.close();
  });

  it('a practitioner reads the pool’s page with every member’s part (desktop, then 320px)', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await signInByKeyboard(page, t.baseUrl, 'rhys');
    await follow(page, 'a[href="/pools"]', { fromTop: true });
    await expectAccessible(page, 'pools list');
    await follow(page, 'a.govuk-link[href^="/pools/"]:not([href="/pools/new"])', { fromTop: true });
    await expectAccessible(page, 'pool page');
    expect(await page.textContent('main')).toContain('Dewi Jenkins');
    await page.setViewportSize({ width: 320, height: 640 });
    await expectAccessible(page, 'pool page at 320px');
    await context.close();
  });
});
