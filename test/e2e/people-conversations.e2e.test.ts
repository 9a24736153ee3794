import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser, tabTo, visit } from '../support/browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
});
afterAll(() => stopAppAndBrowser(t, browser));

/** Presses or clicks something that loads a new page, and waits for it. */
async function andWait(page: Page, action: Promise<unknown>): Promise<void> {
  const from = page.url();
  await Promise.all([page.waitForNavigation({ timeout: 15_000 }), action]).catch((err: Error) => {
    throw new Error(`No new page loaded from ${from}: ${err.message}`);
  });
}

async function submit(page: Page, buttonText: string): Promise<void> {
  await andWait(page, page.getByRole('button', { name: buttonText }).click());
}

async function expectErrorSummary(page: Page, text: string, label: string): Promise<void> {
  await expect.poll(() => page.locator('.govuk-error-summary').count()).toBe(1);
  expect(await page.locator('.govuk-error-summary').innerText()).toContain(text);
  expect(await page.title()).toMatch(/^Error:/);
  await expectAccessible(page, label);
}

/** Adds a person using only the keyboard: typing, Tab to move, Space to choose, Enter to send. */
async function addPersonByKeyboard(page: Page, givenName: string): Promise<void> {
  const type = (text: string) => page.keyboard.type(text);
  const tab = () => page.keyboard.press('Tab');
  await page.focus('#givenName');
  await type(givenName);
  await tab();
  await type('Thomas');
  await tab(); // the name they like to be called: left empty
  await tab();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('dateOfBirth-day');
  await type('14');
  await tab();
  await type('3');
  await tab();
  await type('1968');
  await tab();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('kind');
  await page.keyboard.press('Space');
  await tab();
  await type('2 Mill Lane');
  await tab();
  await type('SY1 1AA');
  await tab();
  await type('01632 960 001');
  await tab();
  await tab(); // email: left empty
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('preferredLanguage');
  await page.keyboard.press('Space');
  await tab();
  await type('Prefers short sentences');
  await tab();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('hasCapacity');
  await page.keyboard.press('Space');
  await tabTo(page, 'button.govuk-button');
  await andWait(page, page.keyboard.press('Enter'));
}

async function answerTextSection(page: Page, taskTitle: string, answer: string, label: string): Promise<void> {
  await andWait(page, page.getByRole('link', { name: taskTitle }).click());
  await expectAccessible(page, label);
  await page.fill('#answer', answer);
  await submit(page, 'Save and continue');
}

describe('a practitioner adds a person and records a ‘what matters’ conversation', () => {
  for (const viewport of ['desktop', 'mobile'] as const) {
    it(`through to eligibility and completion (${viewport})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      const givenName = viewport === 'desktop' ? 'Alys' : 'Bethan';

      await visit(page, t.baseUrl, '/information');
      expect(await page.getByRole('button', { name: 'Print this page' }).isVisible()).toBe(true);
      await signInByKeyboard(page, t.baseUrl, 'practitioner');
      await expectAccessible(page, '/people');

      // Adding a person: the error state first, then by keyboard.
      await visit(page, t.baseUrl, '/people/new');
      await submit(page, 'Add person');
      await expectErrorSummary(page, 'Enter their first name', 'add a person: errors');
      await addPersonByKeyboard(page, givenName);
      expect(new URL(page.url()).pathname).toMatch(/^\/people\/[0-9a-f-]{36}$/);
      expect(await page.locator('h1').innerText()).toBe(`${givenName} Thomas`);
      await expectAccessible(page, 'person record');
      const personPath = new URL(page.url()).pathname;

      // Start the conversation.
      await andWait(page, page.getByRole('link', { name: 'Start a ‘what matters’ conversation' }).click());
      await expectAccessible(page, 'start conversation');
      await page.fill('#heldOn-year', '2030');
      await submit(page, 'Start conversation');
      await expectErrorSummary(page, 'must be today or in the past', 'start conversation: errors');
      await page.fill('#heldOn-year', '2026');
      await submit(page, 'Start conversation');
      expect(new URL(page.url()).pathname).toMatch(/^\/conversations\/[0-9a-f-]{36}$/);
      await expectAccessible(page, 'task list');
      const conversationPath = new URL(page.url()).pathname;

      // What matters, with its error state.
      await andWait(page, page.getByRole('link', { name: 'What matters to the person' }).click());
      await expectAccessible(page, 'what matters');
      await submit(page, 'Save and continue');
      await expectErrorSummary(page, 'Enter what matters to them', 'what matters: errors');
      await page.fill('#answer', 'Cooking fresh meals for myself again.');
      await submit(page, 'Save and continue');

      // Direct payments offered early, with its error state.
      await andWait(page, page.getByRole('link', { name: 'Direct payments offered' }).click());
      await expectAccessible(page, 'direct payments offered');
      await submit(page, 'Save and continue');
      await expectErrorSummary(page, 'Select yes if you have offered direct payments', 'direct payments offered: errors');
      await page.check('#dpOffered');
      await page.fill('#dpResponse', 'I would like to buy a cooker myself.');
      await submit(page, 'Save and continue');
      expect(new URL(page.url()).pathname).toBe(conversationPath);

      await answerTextSection(page, 'Outcomes they want', 'I want to cook my own meals.', 'outcomes');
      await answerTextSection(page, 'Strengths', 'Used to cook; plans meals well.', 'strengths');
      await answerTextSection(page, 'Informal support', 'None nearby.', 'informal support');
      await answerTextSection(page, 'Community resources', 'Diabetes education group.', 'community resources');
      await answerTextSection(page, 'Barriers', 'No working cooker.', 'barriers');

      // Eligibility (England): an outcome ticked without a reason first.
      await andWait(page, page.getByRole('link', { name: 'Eligibility' }).click());
      await expectAccessible(page, 'eligibility');
      expect(await page.isVisible('#reason-nutrition')).toBe(false);
      await page.check('input[name="unable"][value="nutrition"]');
      expect(await page.isVisible('#reason-nutrition')).toBe(true);
      await submit(page, 'Save and continue');
      await expectErrorSummary(page, 'Enter why they are unable to achieve: managing and maintaining nutrition', 'eligibility: errors');
      await page.fill('#reason-nutrition', 'Cannot prepare meals without a cooker.');
      await page.check('input[name="unable"][value="habitable_home"]');
      await page.fill('#reason-habitable_home', 'No working cooker in the flat.');
      await page.check('#significantImpact');
      await page.fill('#impactReasons', 'His diabetes is getting worse.');
      await submit(page, 'Save and continue');
      expect(await page.locator('.govuk-task-list__status').allInnerTexts()).toEqual(Array(8).fill('Completed'));

      // Check answers, then complete.
      await andWait(page, page.getByRole('button', { name: 'Check and complete' }).click());
      await expectAccessible(page, 'check answers');
      expect(await page.locator('body').innerText()).toContain('Eligible. The person is unable to achieve 2 of the 10 outcomes');
      await submit(page, 'Complete conversation');
      expect(await page.locator('.govuk-panel__title').innerText()).toBe('Conversation completed');
      await expectAccessible(page, 'conversation completed');

      // The completed conversation is read-only, and the record offers a care and support plan.
      await visit(page, t.baseUrl, conversationPath);
      expect(await page.getByRole('link', { name: 'Change' }).count()).toBe(0);
      await visit(page, t.baseUrl, personPath);
      expect(await page.getByRole('link', { name: 'Start a care and support plan' }).count()).toBe(1);
      await context.close();
    });
  }

  it('in Wales, the ‘can and can only’ question and its error state pass axe', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    const dewi = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Dewi').executeTakeFirstOrThrow();
    const rhys = await t.db.selectFrom('users').select('id').where('username', '=', 'rhys').executeTakeFirstOrThrow();
    const draft = await t.db.insertInto('conversations').values({ person_id: dewi.id, practitioner_id: rhys.id, held_on: '2026-11-20' }).returning('id').executeTakeFirstOrThrow();
    await signInByKeyboard(page, t.baseUrl, 'rhys');
    await visit(page, t.baseUrl, `/conversations/${draft.id}`);
    await andWait(page, page.getByRole('link', { name: 'Eligibility' }).click());
    await expectAccessible(page, 'Welsh eligibility');
    await submit(page, 'Save and continue');
    await expectErrorSummary(page, 'can meet, and can only meet', 'Welsh eligibility: errors');
    await andWait(page, page.getByRole('link', { name: 'Back' }).click());
    await andWait(page, page.getByRole('button', { name: 'Check and complete' }).click());
    await expectAccessible(page, 'Welsh check answers');
    await submit(page, 'Complete conversation');
    await expectErrorSummary(page, 'Record whether direct payments were offered', 'Welsh check answers: errors');
    await context.close();
  });

  it('the record’s other forms and their error states pass axe at 320px', async () => {
    const { context, page } = await newPage(browser, 'mobile');
    await signInByKeyboard(page, t.baseUrl, 'practitioner');
    await visit(page, t.baseUrl, '/people');
    await andWait(page, page.getByRole('link', { name: 'Anwen Price' }).click());
    await expectAccessible(page, 'Anwen’s record');
    const personPath = new URL(page.url()).pathname;
    for (const [path, button, error] of [
      ['/edit', 'Save changes', ''],
      ['/contacts/new', 'Add contact', 'Enter their name'],
      ['/representatives/new', 'Add representative', 'Enter their name'],
      ['/advocacy/new', 'Save', 'Enter the date advocacy was offered'],
      ['/information/new', 'Save', 'Enter the date the information was given'],
    ] as const) {
      await visit(page, t.baseUrl, personPath + path);
      if (!error) continue;
      await submit(page, button);
      await expectErrorSummary(page, error, `${path}: errors`);
    }
    await context.close();
  });
});
