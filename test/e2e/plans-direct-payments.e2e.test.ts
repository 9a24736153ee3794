import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { chooseRadio, expectAccessible, expectErrorSummary, mainText, navigating, newPage, pressByText, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, tabToText, typeInto, type Viewport, visit } from '../support/browser.ts';
import { buildPerson, buildPlan, demoIds } from '../support/builders.ts';
import { defaultGuidance } from '../../src/features/guidance/default-guidance.ts';

let t: TestApp;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
  ids = await demoIds(t.db);
});
afterAll(() => stopAppAndBrowser(t, browser));

/**
 * How the user fills in forms: at desktop width entirely by keyboard (proving the journey works
 * without a mouse); at 320px by touch, which is quicker to run and proves the same pages reflow.
 */
function user(page: Page, byKeyboard: boolean) {
  return {
    fill: (selector: string, text: string) => (byKeyboard ? typeInto(page, selector, text) : page.fill(selector, text)),
    choose: (name: string, value: string) => (byKeyboard ? chooseRadio(page, name, value) : page.check(`input[name="${name}"][value="${value}"]`)),
    press: (text: string) => (byKeyboard ? pressByText(page, text) : navigating(page, () => page.click(`.govuk-main-wrapper :is(a, button):has-text("${text}")`))),
  };
}

describe('a co-produced plan with a personal budget and an ongoing direct payment', () => {
  for (const viewport of ['desktop', 'mobile'] as Viewport[]) {
    it(`a practitioner builds the plan and sets up the direct payment (${viewport})`, async () => {
      await t.db.deleteFrom('guidance_items').where('council_id', '=', ids.england).execute();
      await t.db.insertInto('guidance_items').values(defaultGuidance().map((g, i) => ({ ...g, council_id: ids.england, position: i + 1 }))).execute();
      const person = await buildPerson(t.db, ids.england, { given_name: viewport === 'desktop' ? 'Olwen' : 'Bethan', family_name: 'Parry' });
      const { context, page } = await newPage(browser, viewport);
      const u = user(page, viewport === 'desktop');
      await signInByKeyboard(page, t.baseUrl, 'practitioner');

      // Start the plan: first with nothing chosen, then properly.
      await visit(page, t.baseUrl, `/people/${person.id}/plans/new`);
      await u.press('Start the plan');
      await expectErrorSummary(page, 'new plan: errors', 'Select whether the plan is for one-off or ongoing support', 'Enter who the plan was written with');
      await u.choose('kind', 'ongoing');
      await u.fill('#co_produced_with', 'Olwen and her daughter');
      await u.press('Start the plan');
      const planPath = new URL(page.url()).pathname;
      expect(planPath).toMatch(/^\/plans\/[0-9a-f-]{36}$/);
      await expectAccessible(page, 'plan: new');

      // An outcome met by a direct payment: first with a cost that is not money.
      await u.press('Add an outcome');
      await expectAccessible(page, 'outcome: form');
      await u.fill('#outcome', 'I want to get up and out each morning');
      await u.choose('met_by', 'direct_payment');
      await u.fill('#how', 'A personal assistant I choose, 7 mornings a week');
      await u.choose('cost_frequency', 'weekly');
      await u.fill('#cost', 'abc');
      await u.press('Save outcome');
      await expectErrorSummary(page, 'outcome: bad cost', 'Enter the cost in pounds');
      expect(await page.inputValue('#outcome')).toBe('I want to get up and out each morning');
      await u.fill('#cost', '200');
      await u.press('Save outcome');
      expect(new URL(page.url()).pathname).toBe(planPath);

      // A second outcome met by a council-arranged service.
      await visit(page, t.baseUrl, `${planPath}/items/new`);
      await u.fill('#outcome', 'Have a bath safely');
      await u.choose('met_by', 'council_service');
      await u.fill('#how', 'A homecare visit twice a week');
      await u.choose('cost_frequency', 'weekly');
      await u.fill('#cost', '80');
      await u.press('Save outcome');
      await expectAccessible(page, 'plan: two outcomes');
      expect(await mainText(page)).toContain('£280.00');

      // The personal budget: a contribution above the cost is refused.
      await visit(page, t.baseUrl, `${planPath}/budget`);
      expect(await page.inputValue('#weekly_cost')).toBe('280.00');
      await u.fill('#weekly_cost', '300');
      await u.fill('#weekly_contribution', '400');
      await u.press('Save personal budget');
      await expectErrorSummary(page, 'budget: contribution above cost', 'cannot be more than the weekly cost');
      await u.fill('#weekly_contribution', '40');
      await u.press('Save personal budget');
      expect(await mainText(page)).toContain('£260.00');

      // Changing and removing an outcome are offered while the plan is a draft.
      const planId = planPath.split('/').pop()!;
      const [first] = await t.db.selectFrom('plan_items').select('id').where('plan_id', '=', planId).orderBy('position').execute();
      await visit(page, t.baseUrl, `${planPath}/items/${first!.id}/edit`);
      await visit(page, t.baseUrl, `${planPath}/items/${first!.id}/remove`);

      // Check and agree the plan.
      await visit(page, t.baseUrl, `${planPath}/agree`);
      await u.press('Agree the plan');
      await expectErrorSummary(page, 'agree: not confirmed', 'Confirm that the person agrees with the plan');
      if (viewport === 'desktop') {
        await tabTo(page, 'input[name="confirm"]');
        await page.keyboard.press('Space');
      } else await page.check('input[name="confirm"]');
      await u.press('Agree the plan');
      expect(new URL(page.url()).pathname).toBe(planPath);
      expect(await mainText(page)).toContain('This plan was agreed on 23 November 2026');
      await expectAccessible(page, 'plan: agreed');

      // The direct payment, with the guidance beside the purpose.
      await visit(page, t.baseUrl, `${planPath}/direct-payments/new`);
      await page.click('summary:has-text("What direct payments can buy")');
      expect(await page.isVisible('text=Equipment that increases independence')).toBe(true);
      await expectAccessible(page, 'direct payment: guidance open');
      await page.goto(`${t.baseUrl}${planPath}/direct-payments/new`);
      await u.fill('#purpose', 'A personal assistant to help Olwen get up and out each morning');
      await u.fill('#weekly_amount', 'abc');
      await u.choose('payment_method', 'bank_account');
      await u.fill('#account_name', 'O PARRY');
      await u.fill('#sort_code', '12-34');
      await u.fill('#account_number', '12345678');
      await u.fill('#starts_on-day', '1');
      await u.fill('#starts_on-month', '12');
      await u.fill('#starts_on-year', '2026');
      await u.press('Set up the direct payment');
      await expectErrorSummary(page, 'direct payment: errors', 'Enter the weekly amount in pounds', 'Enter a valid sort code');
      expect(await page.inputValue('#sort_code')).toBe('12-34');
      expect(await page.inputValue('#purpose')).toContain('A personal assistant');
      // The error summary links take the user to the field.
      await page.focus('.govuk-error-summary a[href="#sort_code"]');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('sort_code');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('123456');
      await page.goto(page.url()); // the same form afresh, filled in from the top
      await u.fill('#purpose', 'A personal assistant to help Olwen get up and out each morning');
      await u.fill('#weekly_amount', '200');
      await u.choose('payment_method', 'bank_account');
      await u.fill('#account_name', 'O PARRY');
      await u.fill('#sort_code', '123456');
      await u.fill('#account_number', '12345678');
      await u.fill('#starts_on-day', '1');
      await u.fill('#starts_on-month', '12');
      await u.fill('#starts_on-year', '2026');
      await u.press('Set up the direct payment');
      const dpPath = new URL(page.url()).pathname;
      expect(dpPath).toMatch(/^\/direct-payments\/[0-9a-f-]{36}$/);
      await expectAccessible(page, 'direct payment: page');
      const dpText = await mainText(page);
      expect(dpText).toMatch(/Direct payment DP-\d{6}/);
      expect(dpText).toContain('£640.00');
      expect(dpText).toContain('••••5678');
      expect(dpText).not.toContain('12345678');
      expect(dpText).toContain('Next: write the business case');

      // The agreed plan shows what the direct payment meets, its amount and how often.
      await visit(page, t.baseUrl, planPath);
      expect(await mainText(page)).toContain('£640.00 every 4 weeks');

      await visit(page, t.baseUrl, `${planPath}/budget`);
      expect(await mainText(page)).not.toContain('Save personal budget');

      // A plan with nothing met by a direct payment says what to do first.
      const bare = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'agreed' });
      await visit(page, t.baseUrl, `/plans/${bare.id}/direct-payments/new`);
      expect(await mainText(page)).toContain('Add one to the plan first');

      await visit(page, t.baseUrl, '/direct-payments');
      await visit(page, t.baseUrl, '/direct-payments?status=draft');
      expect(await mainText(page)).toContain('Parry');
      await visit(page, t.baseUrl, '/guidance');
      await context.close();
    });
  }
});

describe('the guidance on what direct payments can buy', () => {
  for (const viewport of ['desktop', 'mobile'] as Viewport[]) {
    it(`an administrator edits it and a recipient reads it (${viewport})`, async () => {
      await t.db.deleteFrom('guidance_items').where('council_id', '=', ids.england).execute();
      const admin = await newPage(browser, viewport);
      const page = admin.page;
      await signInByKeyboard(page, t.baseUrl, 'admin');
      await visit(page, t.baseUrl, '/admin/guidance');
      await tabToText(page, 'Start from the suggested guidance');
      await navigating(page, () => page.keyboard.press('Enter'));
      await expectAccessible(page, 'admin: suggested guidance');

      await tabTo(page, 'a[href$="/edit"]');
      await navigating(page, () => page.keyboard.press('Enter'));
      await expectAccessible(page, 'admin: edit');
      await typeInto(page, '#title', '');
      await pressByText(page, 'Save guidance');
      await expectErrorSummary(page, 'admin: edit errors', 'Enter a title');
      await typeInto(page, '#title', 'Equipment and technology that help you be independent');
      await pressByText(page, 'Save guidance');
      expect(await mainText(page)).toContain('Guidance changed');

      await tabToText(page, 'Move down');
      await navigating(page, () => page.keyboard.press('Enter'));
      const order = await page.locator('.govuk-summary-card__title').allTextContents();
      expect(order[1]).toContain('Equipment and technology');
      await expectAccessible(page, 'admin: moved');

      await visit(page, t.baseUrl, '/admin/guidance/new');
      await pressByText(page, 'Save guidance');
      await expectErrorSummary(page, 'admin: new errors', 'Enter a title', 'Enter what the guidance says');
      await typeInto(page, '#title', 'Holidays and short breaks');
      await typeInto(page, '#body', 'A short break can give a carer a rest.');
      await pressByText(page, 'Save guidance');
      await page.click('a:has-text("Remove")');
      await expectAccessible(page, 'admin: remove');
      await pressByText(page, 'Yes, remove it');
      await admin.context.close();

      const recipient = await newPage(browser, viewport);
      await signInByKeyboard(recipient.page, t.baseUrl, 'anwen');
      await visit(recipient.page, t.baseUrl, '/my/guidance');
      const text = await mainText(recipient.page);
      expect(text).toContain('Equipment and technology that help you be independent');
      expect(text).toContain('talk to your social worker');
      expect(text).toContain('open to new ideas and be as flexible as possible');
      await recipient.context.close();
    });
  }
});
