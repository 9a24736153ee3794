import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { expectAccessible, newPage, signInByKeyboard, startAppAndBrowser, stopAppAndBrowser } from '../support/browser.ts';

// The two headline journeys, from a person new to the council to their review, through every role
// that touches a direct payment. Each page on the way, and each error state, is checked with axe.
// The one-off journey runs at desktop width by keyboard alone; the ongoing one at 320px by touch.

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startAppAndBrowser();
});
afterAll(() => stopAppAndBrowser(t, browser));

const pathOf = (page: Page) => new URL(page.url()).pathname;
const mainText = async (page: Page) => ((await page.innerText('main')) ?? '').replace(/\s+/g, ' ');

/** The GOV.UK error summary is shown with these messages (the step that loaded the page has checked it with axe). */
async function expectErrorSummary(page: Page, label: string, ...messages: string[]): Promise<void> {
  expect(await page.title(), `${label}: title`).toMatch(/^Error:/);
  const summary = (await page.locator('.govuk-error-summary').innerText()).replace(/\s+/g, ' ');
  for (const message of messages) expect(summary, `${label}: error summary`).toContain(message);
}

/** Signs in by keyboard and checks the page each role lands on. */
async function signIn(page: Page, username: string): Promise<void> {
  await signInByKeyboard(page, t.baseUrl, username);
  await expectAccessible(page, `${username}: ${pathOf(page)}`);
}

async function expectBanner(page: Page, text: string): Promise<void> {
  expect((await page.locator('.govuk-notification-banner').innerText()).replace(/\s+/g, ' ')).toContain(text);
}

/** Tabs forward until the focused element matches the selector and, if given, its text starts with `text`. */
async function tabToElement(page: Page, selector: string, text = '', maxTabs = 300): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ([sel, txt]) => {
        const el = document.activeElement;
        if (!el || el === document.body || !el.matches(sel!)) return false;
        return !txt || (el.textContent ?? '').replace(/\s+/g, ' ').trim().startsWith(txt);
      },
      [selector, text],
    );
    if (hit) return;
  }
  throw new Error(`Could not reach ${selector}${text ? ` “${text}”` : ''} with the Tab key on ${page.url()}`);
}

/** The things a user does, by keyboard alone: Tab to move, type, arrows and Space to choose, Enter to go. */
function byKeyboard(page: Page) {
  const k = {
    /** Follows a link or presses a button found by tabbing, waits for the page it leads to, and checks it with axe. */
    async go(text: string, label: string, selector = 'a, button'): Promise<void> {
      await tabToElement(page, selector, text);
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.keyboard.press('Enter')]);
      await expectAccessible(page, label);
    },
    async fill(selector: string, text: string): Promise<void> {
      await tabToElement(page, selector);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(text);
    },
    /** Tabs into a radio group and moves to the answer with the arrow keys, then Space, as a keyboard user does. */
    async choose(name: string, value: string): Promise<void> {
      await tabToElement(page, `input[type="radio"][name="${name}"]`);
      for (let i = 0; i < 12; i++) {
        if (await page.evaluate((v) => (document.activeElement as HTMLInputElement).value === v, value)) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Space');
      expect(await page.isChecked(`input[name="${name}"][value="${value}"]`), `${name} = ${value}`).toBe(true);
    },
    async tick(selector: string): Promise<void> {
      await tabToElement(page, selector);
      await page.keyboard.press('Space');
      expect(await page.isChecked(selector), selector).toBe(true);
    },
    async date(prefix: string, day: string, month: string, year: string): Promise<void> {
      await k.fill(`#${prefix}-day`, day);
      await k.fill(`#${prefix}-month`, month);
      await k.fill(`#${prefix}-year`, year);
    },
    /** Signs out through the menu and the sign-out page. */
    async signOut(): Promise<void> {
      await k.go('Sign out', 'sign out', 'a[href="/sign-out"]');
      await k.go('Sign out', 'signed out', 'main button');
      expect(pathOf(page)).toBe('/signed-out');
    },
  };
  return k;
}

/** The same things by touch (or mouse) on a small screen. */
function byTouch(page: Page) {
  const touch = {
    /** Taps the element, waits for the page it leads to, and checks it with axe. */
    async tapOn(selector: string, label: string): Promise<void> {
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.locator(selector).first().click()]);
      await expectAccessible(page, label);
    },
    /** Taps the link or button in the page whose text contains `text`. */
    go: (text: string, label: string) => touch.tapOn(`main :is(a, button):has-text("${text}")`, label),
    fill: (selector: string, text: string) => page.fill(selector, text),
    choose: (name: string, value: string) => page.check(`input[name="${name}"][value="${value}"]`),
    tick: (selector: string) => page.check(selector),
    async date(prefix: string, day: string, month: string, year: string): Promise<void> {
      await page.fill(`#${prefix}-day`, day);
      await page.fill(`#${prefix}-month`, month);
      await page.fill(`#${prefix}-year`, year);
    },
    /** Opens the menu that a 320px screen collapses, and follows one of its links. */
    async menu(text: string, label: string): Promise<void> {
      await page.getByRole('button', { name: 'Menu' }).click();
      await expectAccessible(page, `${label}: menu open`);
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.locator('.govuk-service-navigation__list').getByRole('link', { name: text }).click()]);
      await expectAccessible(page, label);
    },
    async signOut(): Promise<void> {
      await touch.menu('Sign out', 'sign out');
      await touch.tapOn('main button', 'signed out');
      expect(pathOf(page)).toBe('/signed-out');
    },
  };
  return touch;
}

const CONVERSATION_SECTIONS = ['What matters to the person', 'Outcomes they want', 'Strengths', 'Informal support', 'Community resources', 'Barriers'] as const;

describe('Peter-like: a one-off direct payment for a cooker, from a new person to the check-back, by keyboard at desktop', () => {
  // One browser goes through the journey, each role signing in and out in turn; each test picks up where the last left off.
  const name = 'Peter Walsh-Test';
  const comparison = 'Over 12 months, a cooker costs £450.00 and a homecare package would cost £8,117.20: £7,667.20 less.';
  const reasons = 'A cooker meets Peter’s nutrition outcome, builds his independence and costs far less than a homecare package.';
  let personPath = '';
  let dpPath = '';
  let reference = '';
  let context: BrowserContext;
  let page: Page;
  let k: ReturnType<typeof byKeyboard>;
  beforeAll(async () => {
    ({ context, page } = await newPage(browser, 'desktop'));
    k = byKeyboard(page);
  });
  afterAll(() => context?.close());

  it('the practitioner adds the person, records the conversation, agrees a one-off plan, sets up the direct payment and sends the business case', { timeout: 240_000 }, async () => {
    // The practitioner adds the person, getting it wrong first.
    await signIn(page, 'practitioner');
    await k.go('Add a person', 'add a person');
    await k.fill('#givenName', 'Peter');
    await k.go('Add person', 'add a person: errors', 'button');
    await expectErrorSummary(page, 'add a person: errors', 'Enter their last name', 'Enter their date of birth', 'Select who they are');
    expect(await page.inputValue('#givenName')).toBe('Peter');
    await k.fill('#familyName', 'Walsh-Test');
    await k.date('dateOfBirth', '14', '3', '1968');
    await k.choose('kind', 'adult');
    await k.fill('#address', '4 Mill Court, Eastmoor');
    await k.fill('#postcode', 'EM1 4MC');
    await k.choose('preferredLanguage', 'en');
    await k.fill('#communicationNeeds', 'Prefers letters in large print');
    await k.choose('hasCapacity', 'yes');
    await k.go('Add person', 'person record', 'button');
    expect(await page.innerText('h1')).toBe(name);
    personPath = pathOf(page);
    expect(personPath).toMatch(/^\/people\/[0-9a-f-]{36}$/);

    // The 'what matters' conversation, every part of it, then completed.
    await k.go('Start a ‘what matters’ conversation', 'start conversation');
    await k.go('Start conversation', 'conversation task list', 'button');
    const answers: Record<(typeof CONVERSATION_SECTIONS)[number], string> = {
      'What matters to the person': 'Cooking fresh, healthy meals for myself so I can manage my diabetes.',
      'Outcomes they want': 'I want to cook my own fresh meals every day and keep my blood sugar steady.',
      Strengths: 'Motivated to be independent. Used to cook before his illness. Good at planning meals.',
      'Informal support': 'No family nearby who are able to help day to day.',
      'Community resources': 'Diabetes education group at the health centre; supported-living staff can show him a new cooker.',
      Barriers: 'No working cooker: he relies on a microwave, and cannot afford to buy one.',
    };
    for (const section of CONVERSATION_SECTIONS) {
      await k.go(section, section, 'a');
      await k.fill('#answer', answers[section]);
      await k.go('Save and continue', `${section}: saved`, 'button');
    }
    await k.go('Direct payments offered', 'direct payments offered', 'a');
    await k.choose('dpOffered', 'yes');
    await k.fill('#dpResponse', 'I would like to buy a cooker myself rather than have carers cook for me.');
    await k.go('Save and continue', 'direct payments offered: saved', 'button');
    await k.go('Eligibility', 'eligibility', 'a');
    await k.tick('input[name="unable"][value="nutrition"]');
    await k.fill('#reason-nutrition', 'Cannot prepare nutritious meals without a cooker; microwave meals are harming his diabetes.');
    await k.tick('input[name="unable"][value="habitable_home"]');
    await k.fill('#reason-habitable_home', 'The flat has no working cooker and he cannot afford one.');
    await k.choose('significantImpact', 'yes');
    await k.fill('#impactReasons', 'His physical health and his independence are significantly affected.');
    await k.go('Save and continue', 'eligibility: saved', 'button');
    expect(await page.locator('.govuk-task-list__status').allInnerTexts()).toEqual(Array(8).fill('Completed'));
    await k.go('Check and complete', 'check the conversation');
    expect(await mainText(page)).toContain('Eligible. The person is unable to achieve 2 of the 10 outcomes');
    await k.go('Complete conversation', 'conversation completed', 'button');
    expect(await page.innerText('.govuk-panel__title')).toBe('Conversation completed');

    // A one-off care and support plan: the cooker met by a direct payment, then agreed.
    await k.go('Start a care and support plan', 'start a plan', 'a');
    await k.choose('kind', 'one_off');
    await k.fill('#co_produced_with', 'Peter and his supported-living key worker');
    await k.go('Start the plan', 'plan started', 'button');
    const planPath = pathOf(page);
    expect(planPath).toMatch(/^\/plans\/[0-9a-f-]{36}$/);
    await k.go('Add an outcome', 'add an outcome', 'a');
    await k.fill('#outcome', 'I want to cook fresh, healthy meals for myself');
    await k.choose('met_by', 'direct_payment');
    await k.fill('#how', 'A one-off direct payment to buy an electric cooker');
    await k.choose('cost_frequency', 'one_off');
    await k.fill('#cost', '450');
    await k.go('Save outcome', 'plan: first outcome', 'button');
    await k.go('Add an outcome', 'add a second outcome', 'a');
    await k.fill('#outcome', 'Use the cooker safely');
    await k.choose('met_by', 'community');
    await k.fill('#how', 'Supported-living staff show Peter how to use it');
    await k.choose('cost_frequency', 'none');
    await k.go('Save outcome', 'plan: two outcomes', 'button');
    expect(await mainText(page)).toContain('£450.00');
    await k.go('Check and agree the plan', 'check the plan');
    await k.tick('input[name="confirm"]');
    await k.go('Agree the plan', 'plan agreed', 'button');
    expect(pathOf(page)).toBe(planPath);
    expect(await mainText(page)).toContain('This plan was agreed on 23 November 2026');

    // The one-off direct payment, into a dedicated bank account.
    await k.go('Set up a direct payment', 'set up a direct payment', 'a');
    await k.choose('meets_needs', 'all');
    await k.fill('#purpose', 'An electric cooker, so Peter can cook fresh meals and manage his diabetes');
    await k.fill('#amount', '450');
    await k.choose('payment_method', 'bank_account');
    await k.fill('#account_name', 'P WALSH-TEST');
    await k.fill('#sort_code', '30-96-34');
    await k.fill('#account_number', '48213377');
    await k.choose('payee', 'person');
    await k.date('starts_on', '23', '11', '2026');
    await k.go('Set up the direct payment', 'direct payment', 'button');
    dpPath = pathOf(page);
    expect(dpPath).toMatch(/^\/direct-payments\/[0-9a-f-]{36}$/);
    const dpText = await mainText(page);
    reference = /Direct payment (DP-\d{6})/.exec(dpText)?.[1] ?? '';
    expect(reference).toMatch(/^DP-\d{6}$/);
    expect(dpText).toContain('••••3377');
    expect(dpText).not.toContain('48213377');

    // The business case, with the cost comparison the panel will read.
    await k.go('Business case', 'write a business case', 'a[href$="/business-case"]');
    await k.go('Start the business case', 'business case task list', 'button');
    const casePath = pathOf(page);
    await k.go('What is proposed and why', 'proposal', 'a');
    await k.fill('#proposal', 'A one-off direct payment of £450 for an electric cooker.');
    await k.fill('#why_necessary', 'Without a cooker Peter relies on microwave meals, which is harming his diabetes control. He wants to cook for himself.');
    await k.go('Save and continue', 'proposal saved', 'button');
    await k.go('The context', 'context', 'a');
    await k.fill('#context_family', 'Peter lives alone and has no family nearby able to help day to day.');
    await k.fill('#context_community', 'Supported-living staff will show him the cooker; he goes to a diabetes education group.');
    await k.fill('#context_agencies', 'His GP and diabetes nurse support the plan.');
    await k.go('Save and continue', 'context saved', 'button');
    await k.go('The outcomes expected', 'outcomes expected', 'a');
    await k.fill('#outcomes_expected', 'Peter cooks fresh meals himself and his blood sugar is better controlled, without paid carers.');
    await k.go('Save and continue', 'outcomes saved', 'button');
    await k.go('Alternatives and costs', 'alternatives and costs', 'a');
    await k.go('Add the cost of the proposal', 'cost of the proposal', 'a');
    await k.fill('#description', 'A cooker');
    await k.fill('#one_off', '450');
    await k.fill('#weekly', '0');
    await k.go('Save and continue', 'proposal costed', 'button');
    await k.go('Add an alternative', 'an alternative', 'a');
    await k.fill('#description', 'A homecare package');
    await k.fill('#one_off', '0');
    await k.fill('#weekly', '156.10');
    await k.fill('#notes', 'Carers prepare meals, 7 hours a week');
    await k.go('Save and continue', 'costs compared', 'button');
    await k.go('Change', 'comparison period', 'a[href$="/costs/period"]');
    await k.fill('#horizon_months', '12');
    await k.go('Save and continue', 'costs over 12 months', 'button');
    expect(await mainText(page)).toContain(comparison);
    await k.go('Back to the business case', 'business case complete', 'a');
    expect(pathOf(page)).toBe(casePath);
    await k.go('Check and send to the panel', 'check the business case', 'a');
    await k.go('Send to the funding panel', 'business case sent', 'button');
    expect(await page.innerText('h1')).toContain('Business case sent to the funding panel');
    await k.signOut();
  });

  it('the panel approves it with reasons, the practitioner records the signed agreement, and finance pays it', { timeout: 240_000 }, async () => {
    expect(reference, 'the direct payment from the test before').toMatch(/^DP-/);
    // The panel member reads the queue and the case, and approves it with reasons.
    await signIn(page, 'panel');
    expect(pathOf(page)).toBe('/panel');
    await k.go(name, 'panel: the case', 'a[href^="/panel/"]');
    const caseText = await mainText(page);
    expect(caseText).toContain('Without a cooker Peter relies on microwave meals');
    expect(caseText).toContain(comparison);
    await k.go('Record the decision', 'panel: decision', 'a');
    await k.choose('decision', 'approved');
    await k.go('Record the decision', 'panel: decision errors', 'button');
    await expectErrorSummary(page, 'panel: decision errors', 'Give the reasons for the decision');
    expect(await page.isChecked('input[name="decision"][value="approved"]')).toBe(true);
    await k.fill('#reasons', reasons);
    await k.go('Record the decision', 'panel: decision recorded', 'button');
    expect(await page.innerText('.govuk-panel__title')).toContain('Decision recorded');
    await k.signOut();

    // The practitioner sees the decision, draws up the agreement and records it as signed.
    await signIn(page, 'practitioner');
    await k.go(name, 'person record', `a[href="${personPath}"]`);
    await k.go(reference, 'direct payment approved', `a[href="${dpPath}"]`);
    expect(await mainText(page)).toContain(reasons);
    await k.go('Direct payment agreement', 'agreement: what it will say', 'a[href$="/agreement"]');
    await k.go('Create the agreement', 'agreement', 'button');
    const pdfHref = await page.getAttribute('a[href$="/pdf"]', 'href');
    const pdf = await page.request.get(`${t.baseUrl}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
    await k.date('signedOn', '23', '11', '2026');
    await k.fill('#signedBy', name);
    await k.go('Record as signed', 'agreement signed', 'button');
    await expectBanner(page, 'Agreement recorded as signed');
    expect(await mainText(page)).toContain(`Signed by ${name} on 23 November 2026`);
    await k.signOut();

    // Finance sends the money, then records that it arrived. A second, stale tab cannot send it twice.
    await signIn(page, 'finance');
    await k.go(reference, 'finance: direct payment', `a[href="${dpPath}"]`);
    await k.go('Payment', 'finance: statement', 'a[href$="/payments"]');
    const stale = await context.newPage();
    await stale.goto(page.url());
    await expectAccessible(stale, 'finance: the same statement in a second tab');
    await k.go('Mark as sent', 'finance: sent', 'button');
    await expectBanner(page, 'Payment marked as sent');
    await tabToElement(stale, 'button', 'Mark as sent');
    await Promise.all([stale.waitForNavigation(), stale.keyboard.press('Enter')]);
    await expectBanner(stale, 'That payment had already been sent');
    await expectAccessible(stale, 'finance: sent twice');
    await stale.close();
    await k.go('Mark as paid', 'finance: paid', 'button');
    await expectBanner(page, 'Payment marked as paid');
    expect(await mainText(page)).toMatch(/Paid into the account £450\.00/);
    const entries = await t.db.selectFrom('ledger_transactions').select('kind').where('direct_payment_id', '=', dpPath.split('/').pop()!).execute();
    expect(entries.map((e) => e.kind).sort()).toEqual(['payment_paid', 'payment_sent']);
    await k.signOut();
  });

  it('demo Peter records what he bought, and the practitioner records the check-back', { timeout: 240_000 }, async () => {
    expect(reference, 'the direct payment from the test before').toMatch(/^DP-/);
    // The new person has no sign-in, so demo Peter shows the recipient's side: his home, and recording what he bought.
    await signIn(page, 'peter');
    expect(pathOf(page)).toBe('/my');
    expect(await mainText(page)).toContain('About £10.01 left');
    await k.go('Record what you bought', 'record spending', 'a');
    await k.fill('#amount', '9.99');
    await k.fill('#paidTo', 'Eastmoor Electricals');
    await k.go('Save', 'record spending: errors', 'main button');
    await expectErrorSummary(page, 'record spending: errors', 'Enter the date you paid');
    expect(await page.inputValue('#amount')).toBe('9.99');
    expect(await page.inputValue('#paidTo')).toBe('Eastmoor Electricals');
    await k.date('spentOn', '20', '11', '2026');
    await k.choose('outcome', '0');
    await k.fill('#note', 'A set of pans for the cooker');
    await k.go('Save', 'spending recorded', 'main button');
    await expectBanner(page, 'What you bought has been saved');
    expect(await mainText(page)).toContain('About £0.02 left');
    await k.signOut();

    // The practitioner sees the money arrived on the person's record and records the check-back.
    await signIn(page, 'practitioner');
    await k.go('Reviews due', 'reviews due', 'a[href="/reviews"]');
    // A check-back is due 3 months after the payment, beyond the list's 60 days: it is on the record instead.
    expect(await mainText(page)).not.toContain(name);
    await k.go('People', 'people', 'a[href="/people"]');
    await k.go(name, 'person record: paid', `a[href="${personPath}"]`);
    const record = await mainText(page);
    expect(record).toContain(`${reference} One-off An electric cooker, so Peter can cook fresh meals and manage his diabetes Active`);
    expect(record).toMatch(/23 February 2027 Checking back/);
    await k.go('Checking back', 'record the check-back', `a[href="${dpPath}/reviews/new"]`);
    expect(await page.innerText('h1')).toBe('Record the check-back');
    await k.go('Record the check-back', 'record the check-back: errors', 'main button');
    await expectErrorSummary(page, 'record the check-back: errors', 'Select whether the outcomes in the plan were met overall');
    const outcomeGroups = await page.$$eval('input[type="radio"][name^="outcome-"][value="met"]', (els) => els.map((e) => (e as HTMLInputElement).name));
    expect(outcomeGroups).toHaveLength(2);
    for (const group of outcomeGroups) await k.choose(group, 'met');
    await k.choose('outcomesMet', 'met');
    await k.choose('working', 'yes');
    await k.choose('changes', 'none');
    await k.fill('#notes', 'Peter cooks every day now, and his diabetes nurse says his blood sugar is steadier.');
    await k.go('Record the check-back', 'check-back recorded', 'main button');
    await expectBanner(page, 'Check-back recorded');
    await expectBanner(page, `${reference} is now closed.`);
    expect(await mainText(page)).toContain('None: there are no more regular reviews');
    await k.go(name, 'person record: closed', `main a[href="${personPath}"]`);
    expect(await mainText(page)).toContain(`${reference} One-off An electric cooker, so Peter can cook fresh meals and manage his diabetes Ended`);
  });
});

describe('Anwen-like: an ongoing direct payment for a personal assistant, from a new person to a review, at 320px', () => {
  const name = 'Nia Roberts-Test';
  const comparison = 'Over 12 months, a direct payment to employ a PA costs £8,060.00 and Homecare agency visits, 10 hours a week would cost £11,596.00: £3,536.00 less.';
  let personPath = '';
  let dpPath = '';
  let reference = '';
  let context: BrowserContext;
  let page: Page;
  let u: ReturnType<typeof byTouch>;
  beforeAll(async () => {
    ({ context, page } = await newPage(browser, 'mobile'));
    u = byTouch(page);
  });
  afterAll(() => context?.close());

  it('the practitioner adds the person, records the conversation, agrees an ongoing plan with a personal budget, sets up the direct payment and sends the business case', { timeout: 240_000 }, async () => {
    // The practitioner adds the person and records the conversation.
    await signIn(page, 'practitioner');
    await u.go('Add a person', 'add a person');
    await u.fill('#givenName', 'Nia');
    await u.fill('#familyName', 'Roberts-Test');
    await u.date('dateOfBirth', '9', '5', '1985');
    await u.choose('kind', 'adult');
    await u.fill('#address', '7 Heol Fach, Eastmoor');
    await u.choose('preferredLanguage', 'en');
    await u.choose('hasCapacity', 'yes');
    await u.tapOn('main button', 'person record');
    expect(await page.innerText('h1')).toBe(name);
    personPath = pathOf(page);

    await u.go('Start a ‘what matters’ conversation', 'start conversation');
    await u.go('Start conversation', 'conversation task list');
    for (const section of CONVERSATION_SECTIONS) {
      await u.go(section, section);
      await u.fill('#answer', `${section}: getting washed, dressed and ready for work without relying on my husband.`);
      await u.go('Save and continue', `${section}: saved`);
    }
    await u.go('Direct payments offered', 'direct payments offered');
    await u.choose('dpOffered', 'yes');
    await u.fill('#dpResponse', 'I want to employ my own personal assistant.');
    await u.go('Save and continue', 'direct payments offered: saved');
    await u.go('Eligibility', 'eligibility');
    await u.tick('input[name="unable"][value="hygiene"]');
    await u.fill('#reason-hygiene', 'Needs help to wash because of her impairment.');
    await u.tick('input[name="unable"][value="clothing"]');
    await u.fill('#reason-clothing', 'Needs help to dress, and it takes her far longer than normal alone.');
    await u.choose('significantImpact', 'yes');
    await u.fill('#impactReasons', 'Without help she cannot get to work, and her marriage is strained by her husband acting as her carer.');
    await u.go('Save and continue', 'eligibility: saved');
    await u.go('Check and complete', 'check the conversation');
    await u.go('Complete conversation', 'conversation completed');

    // An ongoing plan with a personal budget: a contribution above the cost is refused first.
    await u.go('Start a care and support plan', 'start a plan');
    await u.choose('kind', 'ongoing');
    await u.fill('#co_produced_with', 'Nia and her husband');
    await u.go('Start the plan', 'plan started');
    const planPath = pathOf(page);
    await u.go('Add an outcome', 'add an outcome');
    await u.fill('#outcome', 'Be washed, dressed and ready for work every weekday');
    await u.choose('met_by', 'direct_payment');
    await u.fill('#how', 'A personal assistant she employs, 2 hours each weekday morning, with the employer’s costs');
    await u.choose('cost_frequency', 'weekly');
    await u.fill('#cost', '155');
    await u.go('Save outcome', 'plan: outcome');
    await u.tapOn(`a[href="${planPath}/budget"]`, 'personal budget');
    expect(await page.inputValue('#weekly_cost')).toBe('155.00');
    await u.fill('#weekly_contribution', '200');
    await u.go('Save personal budget', 'personal budget: errors');
    await expectErrorSummary(page, 'personal budget: errors', 'cannot be more than the weekly cost');
    expect(await page.inputValue('#weekly_contribution')).toBe('200');
    await u.fill('#weekly_contribution', '15');
    await u.go('Save personal budget', 'personal budget saved');
    if (pathOf(page) !== planPath) await u.tapOn(`main a[href="${planPath}"]`, 'plan with budget');
    expect(await mainText(page)).toContain('£140.00');
    await u.go('Check and agree the plan', 'check the plan');
    await u.tick('input[name="confirm"]');
    await u.go('Agree the plan', 'plan agreed');

    // The ongoing direct payment: £155 a week less £15, every 4 weeks in advance.
    await u.go('Set up a direct payment', 'set up a direct payment');
    await u.choose('meets_needs', 'all');
    await u.fill('#purpose', 'Employing a personal assistant for morning support on weekdays');
    await u.fill('#weekly_amount', '155');
    await u.fill('#weekly_contribution', '15');
    expect(await mainText(page)).toContain('It is paid every 4 weeks, in advance.');
    await u.choose('payment_method', 'bank_account');
    await u.fill('#account_name', 'N ROBERTS DP ACCOUNT');
    await u.fill('#sort_code', '200000');
    await u.fill('#account_number', '55779922');
    await u.choose('payee', 'person');
    await u.date('starts_on', '23', '11', '2026');
    await u.go('Set up the direct payment', 'direct payment');
    dpPath = pathOf(page);
    const dpText = await mainText(page);
    reference = /Direct payment (DP-\d{6})/.exec(dpText)?.[1] ?? '';
    expect(reference).toMatch(/^DP-\d{6}$/);
    expect(dpText).toContain('Each payment £560.00');

    // The business case.
    await u.tapOn(`a[href="${dpPath}/business-case"]`, 'write a business case');
    await u.go('Start the business case', 'business case task list');
    await u.go('What is proposed and why', 'proposal');
    await u.fill('#proposal', 'An ongoing direct payment of £155 a week (less Nia’s £15 contribution) to employ a PA for weekday mornings.');
    await u.fill('#why_necessary', 'Nia needs help with personal care to be ready for work, and does not want her husband to be her carer.');
    await u.go('Save and continue', 'proposal saved');
    await u.go('The context', 'context');
    await u.fill('#context_family', 'Her husband can help in an emergency only, by choice.');
    await u.fill('#context_community', 'Accessible transport is in place.');
    await u.fill('#context_agencies', 'Her employer supports flexible start times.');
    await u.go('Save and continue', 'context saved');
    await u.go('The outcomes expected', 'outcomes expected');
    await u.fill('#outcomes_expected', 'Nia is ready for work on time, with a PA she chooses.');
    await u.go('Save and continue', 'outcomes saved');
    await u.go('Alternatives and costs', 'alternatives and costs');
    await u.go('Add the cost of the proposal', 'cost of the proposal');
    await u.fill('#description', 'A direct payment to employ a PA');
    await u.fill('#one_off', '0');
    await u.fill('#weekly', '155');
    await u.go('Save and continue', 'proposal costed');
    await u.go('Add an alternative', 'an alternative');
    await u.fill('#description', 'Homecare agency visits, 10 hours a week');
    await u.fill('#one_off', '0');
    await u.fill('#weekly', '223');
    await u.go('Save and continue', 'costs compared');
    expect(await mainText(page)).toContain(comparison);
    await u.go('Back to the business case', 'business case complete');
    await u.go('Check and send to the panel', 'check the business case');
    await u.go('Send to the funding panel', 'business case sent');
    await u.signOut();
  });

  it('a manager approves the case they did not write, the practitioner records the signed agreement, and finance pays the first 4 weeks', { timeout: 240_000 }, async () => {
    expect(reference, 'the direct payment from the test before').toMatch(/^DP-/);
    // A manager decides the case they did not write, after sending the form empty.
    await signIn(page, 'manager');
    await u.menu('Funding panel', 'manager: panel queue');
    await u.tapOn(`a[href^="/panel/"]:has-text("${name}")`, 'manager: the case');
    expect(await mainText(page)).toContain(comparison);
    await u.go('Record the decision', 'manager: decision');
    await u.tapOn('main button', 'manager: decision errors');
    await expectErrorSummary(page, 'manager: decision errors', 'Choose the panel’s decision', 'Give the reasons for the decision');
    await u.choose('decision', 'approved');
    await u.fill('#reasons', 'Meets the outcomes and respects what matters to Nia; cheaper than an agency.');
    await u.tapOn('main button', 'manager: decision recorded');
    expect(await page.innerText('.govuk-panel__title')).toContain('Decision recorded');
    await u.signOut();

    // The practitioner draws up the agreement and records it as signed.
    await signIn(page, 'practitioner');
    await u.tapOn(`a[href="${personPath}"]`, 'person record');
    await u.tapOn(`a[href="${dpPath}"]`, 'direct payment approved');
    expect(await mainText(page)).toContain('Meets the outcomes and respects what matters to Nia');
    await u.tapOn(`a[href="${dpPath}/agreement"]`, 'agreement: what it will say');
    await u.go('Create the agreement', 'agreement');
    await u.date('signedOn', '23', '11', '2026');
    await u.fill('#signedBy', name);
    await u.go('Record as signed', 'agreement signed');
    await expectBanner(page, 'Agreement recorded as signed');
    await u.signOut();

    // Finance sends the first 4-weekly payment and records it as paid.
    await signIn(page, 'finance');
    await u.tapOn(`a[href="${dpPath}"]`, 'finance: direct payment');
    await u.tapOn(`a[href="${dpPath}/payments"]`, 'finance: statement');
    expect(await mainText(page)).toContain('£560.00 every 4 weeks, in advance');
    await u.go('Mark as sent', 'finance: sent');
    await expectBanner(page, 'Payment marked as sent');
    await u.go('Mark as paid', 'finance: paid');
    await expectBanner(page, 'Payment marked as paid');
    expect(await mainText(page)).toMatch(/Paid into the account £560\.00/);
    await u.signOut();
  });

  it('demo Anwen records what she spent, and the practitioner records her first review and sees the next one set', { timeout: 240_000 }, async () => {
    expect(reference, 'the direct payment from the test before').toMatch(/^DP-/);
    // Demo Anwen reads her home and records what she spent, correcting a mistake.
    await signIn(page, 'anwen');
    expect(pathOf(page)).toBe('/my');
    expect(await mainText(page)).toContain('left, going by what you’ve recorded');
    await u.go('Record what you bought', 'record spending');
    await u.date('spentOn', '20', '11', '2026');
    await u.fill('#amount', 'five hundred');
    await u.fill('#paidTo', 'Eastmoor Payroll Services');
    await u.choose('outcome', '0');
    await u.tapOn('main button', 'record spending: errors');
    await expectErrorSummary(page, 'record spending: errors', 'Enter the amount in pounds');
    expect(await page.inputValue('#paidTo')).toBe('Eastmoor Payroll Services');
    await u.fill('#amount', '520');
    await u.tapOn('main button', 'spending recorded');
    await expectBanner(page, 'What you bought has been saved');
    expect(await mainText(page)).toContain('Eastmoor Payroll Services');
    await u.signOut();

    // The practitioner opens Reviews due, records Anwen's first review, and sees the next one set.
    await signIn(page, 'practitioner');
    await u.menu('Reviews due', 'reviews due');
    const row = page.locator('tr', { hasText: 'Anwen Price' }).first();
    await Promise.all([page.waitForNavigation(), row.locator('a[href*="/reviews/new?review="]').click()]);
    await expectAccessible(page, 'record a review');
    expect(await page.innerText('h1')).toBe('Record a review');
    expect(await page.inputValue('#nextReview-year')).toBe('2027');
    const outcomeGroups = await page.$$eval('input[type="radio"][name^="outcome-"][value="met"]', (els) => els.map((e) => (e as HTMLInputElement).name));
    for (const group of outcomeGroups) await u.choose(group, 'met');
    await u.choose('outcomesMet', 'met');
    await u.choose('working', 'yes');
    await u.choose('changes', 'none');
    await u.fill('#notes', 'Anwen is ready for work on time every weekday with her PA.');
    await u.go('Record the review', 'review recorded');
    await expectBanner(page, 'Review recorded');
    await expectBanner(page, 'The next review is due by 23 November 2027.');
    expect(await mainText(page)).toContain('Next regular review 23 November 2027');

    // And the new person's direct payment is active, with its first review within 6 months of the first payment.
    await u.menu('People', 'people');
    await u.tapOn(`a[href="${personPath}"]`, 'Nia’s record');
    const record = await mainText(page);
    expect(record).toContain(`${reference} Ongoing Employing a personal assistant for morning support on weekdays Active`);
    expect(record).toContain('23 May 2027 First review');
  });
});
