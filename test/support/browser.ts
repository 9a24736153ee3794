import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';
import { startTestApp, type TestApp } from './app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (the .ci/run script does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * The app on a fresh database (demo seed unless `seed: false`) and Chromium, started together:
 * `beforeAll(async () => { [t, browser] = await startAppAndBrowser(); })`.
 */
export async function startAppAndBrowser(opts: { seed?: boolean } = {}): Promise<[TestApp, Browser]> {
  return Promise.all([startTestApp(opts), launchBrowser()]);
}

/** Closes what startAppAndBrowser started (either may be missing if starting failed). */
export async function stopAppAndBrowser(t: TestApp | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await t?.stop();
}

export type Viewport = 'desktop' | 'mobile';

export async function newPage(browser: Browser, viewport: Viewport = 'desktop'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: viewport === 'mobile' ? { width: 320, height: 640 } : { width: 1280, height: 900 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  return { context, page };
}

/** Runs axe (WCAG 2.0, 2.1 and 2.2, A and AA) on the page as it is now and expects no violations. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n    ')}`);
  expect(summary, `axe violations on ${label}`).toEqual([]);
  // At 320px wide nothing may force sideways scrolling of the whole page (WCAG 1.4.10 reflow).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `page scrolls sideways on ${label}`).toBeLessThanOrEqual(0);
}

/** Goes to a path, expects it to load, and checks it with axe. */
export async function visit(page: Page, baseUrl: string, urlPath: string): Promise<void> {
  const res = await page.goto(baseUrl + urlPath);
  expect(res?.status(), `status of ${urlPath}`).toBeLessThan(400);
  await expectAccessible(page, urlPath);
}

/** Signs in through the real form, by keyboard only. */
export async function signInByKeyboard(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await expectAccessible(page, '/sign-in');
  await page.focus('#username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
  await Promise.all([page.waitForURL((u) => u.pathname !== '/sign-in'), page.keyboard.press('Enter')]);
}

/** Tabs until the focused element matches, so a journey is proven to work without a mouse. */
export async function tabTo(page: Page, selector: string, maxTabs = 200): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((sel) => {
      const el = document.activeElement;
      return !!el && el.matches(sel);
    }, selector);
    if (hit) return;
  }
  throw new Error(`Could not reach ${selector} with the Tab key`);
}

/** Tabs to the link or button whose text starts with (or, `exact`, is) `text`; CSS cannot match text, so this checks each stop. */
export async function tabToText(page: Page, text: string, opts: { buttonsOnly?: boolean; exact?: boolean; maxTabs?: number } = {}): Promise<void> {
  const { buttonsOnly = false, exact = false, maxTabs = 200 } = opts;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ({ text, buttonsOnly, exact }) => {
        const el = document.activeElement;
        if (!el || !(el.tagName === 'BUTTON' || (!buttonsOnly && el.tagName === 'A'))) return false;
        const own = (el.textContent ?? '').trim();
        return exact ? own === text : own.startsWith(text);
      },
      { text, buttonsOnly, exact },
    );
    if (hit) return;
  }
  throw new Error(`Could not reach "${text}" with the Tab key`);
}

/** Tabs to the link or button with this text (see tabToText), presses Enter and waits for the next page. */
export async function pressByText(page: Page, text: string, opts: { buttonsOnly?: boolean; exact?: boolean } = {}): Promise<void> {
  await tabToText(page, text, opts);
  await navigating(page, () => page.keyboard.press('Enter'));
}

/** Does something that loads a new page, and waits for it. */
export async function navigating(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation(), action()]);
}

/**
 * Tabs to a link or button and presses Enter, waiting for the page it leads to. With `fromTop`
 * it starts from the top of the page rather than from what has the focus now.
 */
export async function follow(page: Page, selector: string, opts: { fromTop?: boolean } = {}): Promise<void> {
  if (opts.fromTop) await page.focus('body');
  await tabTo(page, selector);
  await navigating(page, () => page.keyboard.press('Enter'));
}

/** A form's submit button (not the show/hide button of a GOV.UK password input). */
export const SUBMIT_BUTTON = 'form button.govuk-button:not(.govuk-password-input__toggle)';

/** Presses a form's submit button by keyboard and waits for the next page. */
export async function submitByKeyboard(page: Page, button = SUBMIT_BUTTON): Promise<void> {
  await follow(page, button);
}

/** Tabs to a field and types into it, replacing what was there. */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/** Tabs into a radio group and chooses an answer with the arrow keys and Space, as a keyboard user would. */
export async function chooseRadio(page: Page, name: string, value: string): Promise<void> {
  await tabTo(page, `input[type="radio"][name="${name}"]`);
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate((v) => (document.activeElement as HTMLInputElement).value === v, value)) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Space');
  expect(await page.isChecked(`input[name="${name}"][value="${value}"]`)).toBe(true);
}

/** The page is the GOV.UK error state: "Error:" title, a summary with each message, and no axe violations. */
export async function expectErrorSummary(page: Page, label: string, ...messages: string[]): Promise<void> {
  expect(await page.title(), `${label}: title`).toMatch(/^Error:/);
  const summary = page.locator('.govuk-error-summary');
  for (const message of messages) await expect.poll(() => summary.textContent(), { message: `${label}: error summary` }).toContain(message);
  await expectAccessible(page, label);
}

/** The text of the page's main element. */
export async function mainText(page: Page): Promise<string> {
  return (await page.textContent('main')) ?? '';
}

/**
 * Reaches a file input with the Tab key, then gives it a file. The picker itself is the operating
 * system's, not ours, so the file is set directly: waiting for Chromium's "filechooser" event after
 * pressing Space was flaky in headless runs (it sometimes never fired).
 */
export async function chooseFileByKeyboard(page: Page, selector: string, filePath: string): Promise<void> {
  await tabTo(page, selector);
  await page.locator(selector).setInputFiles(filePath);
}

export function screenshotPath(name: string): string {
  const dir = path.join(os.tmpdir(), 'dp-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
