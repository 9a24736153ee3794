import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, expectErrorSummary, navigating, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, type Viewport, visit } from '../support/browser.ts';
import { buildDirectPayment, demoIds } from '../support/builders.ts';

let t: TestApp;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  ids = await demoIds(t.db);
});
afterAll(() => stopAppAndBrowser(t, browser));

async function press(page: Page, button: string): Promise<void> {
  await navigating(page, () => page.click(`.govuk-main-wrapper button:has-text("${button}")`));
}

/** A case written by the manager and already with the panel, for the refusal. */
async function managersCaseAtPanel(): Promise<string> {
  const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person('Trevor'), createdBy: ids.user('manager') }, { status: 'at_panel', purpose: 'A bike' });
  const bc = await t.db
    .insertInto('business_cases')
    .values({
      direct_payment_id: dp.id, author_id: ids.user('manager'), proposal: 'A bike', why_necessary: 'To get to work.', context_family: 'None nearby.',
      context_community: 'A cycling club.', context_agencies: 'None.', outcomes_expected: 'Gets to work.', status: 'submitted', submitted_at: t.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('business_case_options').values([
    { business_case_id: bc.id, position: 1, description: 'A bike', proposed: true, one_off_cost_pence: 30000 },
    { business_case_id: bc.id, position: 2, description: 'Taxis', proposed: false, weekly_cost_pence: 4000 },
  ]).execute();
  return bc.id;
}

for (const viewport of ['desktop', 'mobile'] as Viewport[]) {
  describe(`a business case goes to the funding panel (${viewport})`, () => {
    // The second test picks up the case the first one sent.
    let dpId = '';
    let caseUrl = '';

    it('a practitioner writes the case, mostly by keyboard, and sends it to the panel', async () => {
      const person = viewport === 'desktop' ? 'Peter' : 'Jemima';
      const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person(person), createdBy: ids.user('practitioner') }, { purpose: 'A cooker' });
      dpId = dp.id;

      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      await visit(page, t.baseUrl, `/direct-payments/${dp.id}/business-case`);
      await tabTo(page, 'button.govuk-button--start');
      await navigating(page, () => page.keyboard.press('Enter'));
      caseUrl = new URL(page.url()).pathname;
      expect(caseUrl).toMatch(/^\/business-cases\/[0-9a-f-]{36}$/);
      await expectAccessible(page, 'case: task list');

      // Before anything is written, the check page says what is missing; a stale "send" shows the error summary.
      await visit(page, t.baseUrl, `${caseUrl}/submit`);
      expect(await page.textContent('main')).toContain('You cannot send this case yet');
      await page.goto(`${t.baseUrl}${caseUrl}/outcomes`);
      await navigating(page, () => page.evaluate((action) => {
        const form = document.querySelector('main form') as HTMLFormElement;
        form.action = action;
        form.submit();
      }, `${caseUrl}/submit`));
      await expectErrorSummary(page, 'submit: incomplete', 'Say what is proposed and why it is necessary');

      // What is proposed and why: the whole form by keyboard, first with a gap.
      await page.goto(`${t.baseUrl}${caseUrl}`);
      await tabTo(page, `a[href="${caseUrl}/proposal"]`);
      await navigating(page, () => page.keyboard.press('Enter'));
      await expectAccessible(page, 'proposal');
      expect(await page.inputValue('#proposal')).toBe('A cooker');
      await tabTo(page, '#proposal');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('A cooker, so Peter can cook fresh meals');
      await tabTo(page, 'main button');
      await navigating(page, () => page.keyboard.press('Enter'));
      await expectErrorSummary(page, 'proposal: error', 'Say why it is necessary');
      expect(await page.inputValue('#proposal')).toBe('A cooker, so Peter can cook fresh meals');
      await tabTo(page, '#why_necessary');
      await page.keyboard.type('His cooker is broken and unsafe. He wants to cook for himself again rather than have carers do it.');
      await tabTo(page, 'main button');
      await navigating(page, () => page.keyboard.press('Enter'));
      expect(new URL(page.url()).pathname).toBe(caseUrl);

      await visit(page, t.baseUrl, `${caseUrl}/context`);
      await page.fill('#context_family', 'His daughter visits on Sundays.');
      await page.fill('#context_community', 'A lunch club twice a week.');
      await page.fill('#context_agencies', 'No other agencies are involved.');
      await press(page, 'Save and continue');

      await visit(page, t.baseUrl, `${caseUrl}/outcomes`);
      await page.fill('#outcomes_expected', 'Cooks his own meals every day and needs no homecare.');
      await press(page, 'Save and continue');

      // Alternatives and costs, with a bad amount and a bad period on the way.
      await visit(page, t.baseUrl, `${caseUrl}/costs`);
      await navigating(page, () => page.click('main a:has-text("Add the cost of the proposal")'));
      await expectAccessible(page, 'proposal cost');
      await page.fill('#description', 'A cooker');
      await page.fill('#one_off', 'four hundred');
      await page.fill('#weekly', '0');
      await press(page, 'Save and continue');
      await expectErrorSummary(page, 'proposal cost: error', 'Enter the one-off cost as an amount of money');
      await page.fill('#one_off', '450');
      await press(page, 'Save and continue');
      await navigating(page, () => page.click('main a:has-text("Add an alternative")'));
      await expectAccessible(page, 'alternative');
      await page.fill('#description', 'A homecare package');
      await page.fill('#one_off', '0');
      await page.fill('#weekly', '156');
      await page.fill('#notes', 'One hour each day to prepare meals');
      await press(page, 'Save and continue');
      await expectAccessible(page, 'costs with comparison');
      expect(await page.textContent('main')).toContain('Over 12 months, a cooker costs £450.00 and a homecare package would cost £8,112.00: £7,662.00 less.');
      await visit(page, t.baseUrl, `${caseUrl}/costs/period`);
      await page.fill('#horizon_months', '0');
      await press(page, 'Save and continue');
      await expectErrorSummary(page, 'period: error', 'Enter a number of months from 1 to 120');
      await page.fill('#horizon_months', '12');
      await press(page, 'Save and continue');

      // Check and send.
      await visit(page, t.baseUrl, caseUrl);
      expect(await page.locator('.govuk-task-list__status', { hasText: 'Completed' }).count()).toBe(4);
      await navigating(page, () => page.click('main a:has-text("Check and send to the panel")'));
      await expectAccessible(page, 'check answers');
      await press(page, 'Send to the funding panel');
      expect(await page.textContent('h1')).toContain('Business case sent to the funding panel');
      await expectAccessible(page, 'submitted');
      expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('at_panel');
      await context.close();
    });

    it('a panel member reads the queue, the case and the comparison, and approves it with conditions', async () => {
      expect(caseUrl, 'the case from the test before').not.toBe('');
      const { context, page: panel } = await newPage(browser, viewport);
      await signInByKeyboard(panel, t.baseUrl, 'panel');
      expect(new URL(panel.url()).pathname).toBe('/panel');
      await expectAccessible(panel, 'panel queue');
      const caseId = caseUrl.split('/').pop()!;
      await navigating(panel, () => panel.click(`a[href="/panel/${caseId}"]`));
      await expectAccessible(panel, 'panel case');
      const main = (await panel.textContent('main')) ?? '';
      expect(main).toContain('His cooker is broken and unsafe');
      expect(main).toContain('A lunch club twice a week.');
      expect(main).toContain('£7,662.00 less');
      expect(main).toContain('considered on its merits');
      await navigating(panel, () => panel.click('main a:has-text("Record the decision")'));
      await expectAccessible(panel, 'decision form');
      await panel.check('input[value="approved_with_conditions"]');
      await panel.fill('#reasons', 'Far cheaper than homecare, and Peter keeps his independence.');
      await press(panel, 'Record the decision');
      await expectErrorSummary(panel, 'decision: error', 'Say what the conditions are');
      expect(await panel.inputValue('#reasons')).toBe('Far cheaper than homecare, and Peter keeps his independence.');
      await panel.fill('#conditions', 'Keep the receipt for the cooker.');
      await press(panel, 'Record the decision');
      expect(await panel.textContent('h1')).toContain('Decision recorded');
      await expectAccessible(panel, 'decision recorded');
      await navigating(panel, () => panel.click('main a:has-text("Read the decision letter")'));
      await expectAccessible(panel, 'decision letter');
      const letter = (await panel.textContent('main')) ?? '';
      expect(letter).toContain('said yes to your direct payment for “A cooker”, with some conditions');
      expect(letter).toContain('Keep the receipt for the cooker.');
      expect(letter).toContain('Local Government and Social Care Ombudsman');
      expect(await panel.isVisible('button:has-text("Print this letter")')).toBe(true);
      await visit(panel, t.baseUrl, '/panel');
      expect(await panel.textContent('main')).toContain('Approved with conditions');
      expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dpId).executeTakeFirstOrThrow()).status).toBe('approved');
      await context.close();

      // The practitioner sees the decision on the case.
      const worker = await newPage(browser, viewport);
      await signInByKeyboard(worker.page, t.baseUrl, 'practitioner');
      await visit(worker.page, t.baseUrl, caseUrl);
      expect(await worker.page.textContent('main')).toContain('Keep the receipt for the cooker.');
      await worker.context.close();
    });

    it(`a manager cannot decide a case they wrote, and is told why (${viewport})`, async () => {
      const caseId = await managersCaseAtPanel();
      const { context, page } = await newPage(browser, viewport);
      await signInByKeyboard(page, t.baseUrl, 'manager');
      await visit(page, t.baseUrl, `/panel/${caseId}`);
      expect(await page.textContent('main')).toContain('You wrote this case, so another panel member or manager must decide it.');
      const res = await page.goto(`${t.baseUrl}/panel/${caseId}/decision`);
      expect(res?.status()).toBe(403);
      expect(await page.textContent('h1')).toContain('You cannot decide a case you wrote');
      await expectAccessible(page, 'own case refused');
      await context.close();
    });
  });
}
