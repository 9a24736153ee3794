import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';

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
