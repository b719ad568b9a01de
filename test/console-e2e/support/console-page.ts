import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect, inject } from 'vitest';
import { PROJECT_ROOT } from '../../../local/lambdas.ts';

/** Where the README's screenshots are written, when CONSOLE_SCREENSHOTS=1 asks for them. */
const SCREENSHOTS = join(PROJECT_ROOT, 'docs', 'console');

export interface ConsoleSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** What the page logged as errors (a Content-Security-Policy violation among them). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** The console's address in the running local cloud. */
export function consoleUrl(path = '/'): string {
  return `${inject('apiUrl')}${path}`;
}

/**
 * A fresh browser context on the run's Chromium, signed in to the console as `account` through
 * the local identity provider's account chooser.
 */
export async function openConsole(
  account: string,
  options: { keyboard?: boolean } = {},
): Promise<ConsoleSession> {
  const browser = await chromium.connect(inject('browserEndpoint'));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(consoleUrl('/'));
  const field = page.getByLabel('Account');
  if (options.keyboard) {
    // The account field has the focus: replace what it offers and press Enter.
    await field.waitFor();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(account);
    await page.keyboard.press('Enter');
  } else {
    await field.fill(account);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByRole('navigation', { name: 'Side navigation' }).waitFor();
  return {
    browser,
    context,
    page,
    errors,
    async close() {
      await context.close();
      await browser.close();
    },
  };
}

/** Goes to a section through the side navigation, as a user would. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Side navigation' })
    .getByRole('link', { name, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Runs axe on what is on screen; fails on any serious or critical violation, naming each. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Legacy mode runs axe in the page itself: the app has no frames, and the default mode opens
  // a page of its own for every analysis, which costs seconds on a busy machine.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${what}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}

/**
 * With CONSOLE_SCREENSHOTS=1 (npm run console:screenshots), a screenshot of the page as it is,
 * written to docs/console/<name>.png for the README; otherwise nothing, so that a run of the
 * suite leaves the working tree as it was and spends no time on images.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS !== '1') return;
  const image = await page.screenshot({ fullPage: false, animations: 'disabled' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), image);
}

/** Checks what is on screen with axe, as `what`, and keeps its screenshot as `name`. */
export async function expectAccessibleAndShoot(page: Page, what: string, name: string) {
  await expectAccessible(page, what);
  await screenshot(page, name);
}

/** The table row holding `text` in the table named `table`. */
export function rowOf(page: Page, table: string, text: string) {
  return page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });
}

/** Chooses an item of a row's actions menu (the ellipsis at the far right). */
export async function rowAction(
  page: Page,
  kind: 'snapshot' | 'slice',
  name: string,
  action: string,
): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${kind} ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: action, exact: true }).click();
}

/** Chooses an item of a row's actions menu and answers the dialog named `dialog` that it opens. */
export async function rowDialog(
  page: Page,
  kind: 'snapshot' | 'slice',
  name: string,
  action: string,
  dialog: string,
): Promise<Locator> {
  await rowAction(page, kind, name, action);
  return page.getByRole('dialog', { name: dialog });
}

/**
 * Chooses an item of a row's actions menu, then confirms it in the dialog named `dialog` that it
 * opens, with the dialog's button of the same name as the item.
 */
export async function confirmRowAction(
  page: Page,
  kind: 'snapshot' | 'slice',
  name: string,
  action: string,
  dialog: string,
): Promise<void> {
  const opened = await rowDialog(page, kind, name, action, dialog);
  await opened.getByRole('button', { name: action }).click();
}

/** Whether `target` holds the keyboard focus (itself or something inside it). */
function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element.contains(element.ownerDocument.activeElement));
}

/**
 * Presses Tab until `target` has the focus, as a keyboard user moves through the page; fails if
 * it is not reached within `limit` presses.
 */
export async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  await target.waitFor();
  for (let presses = 0; presses < limit; presses++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Presses `key` until `target` has the focus (arrows in a menu or a radio group). */
export async function pressUntilFocused(
  page: Page,
  key: string,
  target: Locator,
  limit = 10,
): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${target}`);
}
