import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot } from './harness.js';

/** Debian's Chromium (apt-get install -y chromium); `npx playwright install` can't download browsers here. */
export const chromiumPath = process.env.MAILROOM_CHROMIUM ?? '/usr/bin/chromium';

/** The reason the browser tests skip, or false when they can run. */
export const browserSkipReason: string | false = existsSync(chromiumPath)
  ? false
  : `${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium) to run the admin center in a real browser`;

/** Screenshots for docs/screenshots/ are taken only when MAILROOM_SCREENSHOTS=1, so test runs leave the tree clean. */
export const screenshotDir = process.env.MAILROOM_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'screenshots') : null;

export interface TestBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  // The machine's network is closed: Chromium's own background connections are switched off.
  // Playwright gives every launch a fresh, empty profile directory of its own.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** Console errors and uncaught exceptions of a page, collected for an assertion at the end. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, options: { width?: number; height?: number } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  return { page, context, consoleErrors, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled' });
}

/**
 * Chromium logs every HTTP error answer as "Failed to load resource"; the refusals a test provokes on
 * purpose are expected there, once each, and nothing else may appear.
 */
export function unexpectedConsoleErrors(errors: readonly string[], expectedStatuses: readonly number[]): string[] {
  const remaining = [...expectedStatuses];
  return errors.filter((error) => {
    const status = /Failed to load resource: the server responded with a status of (\d{3})/.exec(error)?.[1];
    const index = status ? remaining.indexOf(Number(status)) : -1;
    if (index < 0) return true;
    remaining.splice(index, 1);
    return false;
  });
}

/** A form control by its label exactly; Fluent UI marks a required field's label with "*". */
export function field(page: Page, label: string): Locator {
  return page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`));
}

/** Signs in through the sign-in page with the keyboard alone. */
export async function signInWithKeyboard(page: Page, baseUrl: string, address: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await field(page, 'Email address').waitFor();
  // The address field has the focus on arrival.
  await page.keyboard.type(address);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}
