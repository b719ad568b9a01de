import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../console/build.ts';
import { localSnapshotRepository } from '../support/e2e-records.ts';
import { anAvailableSnapshot } from '../support/records.ts';
import { consoleUrl, openSection } from './support/console-page.ts';
import { consoleSessionPerFile } from './support/console-session-per-file.ts';

const SNAPSHOTS = 1_000;
/** What the issue asks of the first page: its JavaScript, gzipped. */
const FIRST_PAGE_BUDGET_KB = 400;
/**
 * A page of the table shows within this of the click. Generous: the two cores that run it also
 * run the local cloud and, often, other suites (the figures are printed). What keeps the table
 * responsive is asserted apart: the server sends one page at a time, never the thousand.
 */
const RESPONSIVE_MS = 10_000;

/** A thousand available snapshots of one account, written straight into the table. */
async function seed(accountId: string): Promise<void> {
  const seeding = localSnapshotRepository();
  try {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const records = Array.from({ length: SNAPSHOTS }, (_, index) =>
      anAvailableSnapshot({
        accountId,
        name: `seeded-${String(index).padStart(4, '0')}`,
        completedAt: new Date(start + index * 60_000).toISOString(),
        sizeBytes: (index + 1) * 1024 * 1024,
      }),
    );
    for (let at = 0; at < records.length; at += 50) {
      await Promise.all(
        records.slice(at, at + 50).map((record) => seeding.repository.create(record)),
      );
    }
  } finally {
    seeding.close();
  }
}

describe('the Snapshots page with 1,000 snapshots', () => {
  const account = `acct-many-${randomUUID().slice(0, 8)}`;
  const session = consoleSessionPerFile(account, { prepare: () => seed(account) });

  it('loads a page at a time from the server, each within a moment', async () => {
    const { page } = session;
    const table = page.getByRole('table', { name: 'Snapshots' });
    const rows = table.locator('tbody tr');
    const limits: (string | null)[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/v1/snapshots') limits.push(url.searchParams.get('limit'));
    });

    let started = Date.now();
    await openSection(page, 'Snapshots');
    await table.getByText('seeded-').first().waitFor();
    const firstPageMs = Date.now() - started;
    expect(await rows.count()).toBe(25);
    expect(await rows.first().textContent()).toContain('seeded-0999');

    started = Date.now();
    await page.getByRole('button', { name: 'Next page' }).click();
    await table.getByText('seeded-0974', { exact: true }).waitFor();
    const nextPageMs = Date.now() - started;
    expect(await rows.count()).toBe(25);

    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByRole('radio', { name: '100 snapshots' }).check();
    // The longest the page's main thread is blocked while a hundred rows render is what a user
    // feels as a frozen page, apart from waiting on the server. The script is text because this
    // project's types have no DOM.
    await page.evaluate(`(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    })()`);
    started = Date.now();
    await page.getByRole('button', { name: 'Confirm' }).click();
    // Back to the first page, a hundred rows long: newest first, 0999 down to 0900.
    await table.getByText('seeded-0900', { exact: true }).waitFor();
    const hundredMs = Date.now() - started;
    const longestTaskMs = await page.evaluate<number>(
      'Math.round(Math.max(0, ...window.longTasks))',
    );

    process.stdout.write(
      `1,000 snapshots: first page ${firstPageMs} ms, next page ${nextPageMs} ms, 100 rows ${hundredMs} ms (longest main-thread task ${longestTaskMs} ms)\n`,
    );
    expect(Math.max(nextPageMs, hundredMs)).toBeLessThan(RESPONSIVE_MS);
    expect(new Set(limits)).toEqual(new Set(['25', '100']));
    expect(await rows.count()).toBe(100);
  });

  it('sends the first page within the JavaScript budget', async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.endsWith('.js')) scripts.add(url.pathname);
    });
    await page.goto(consoleUrl('/'));
    await page.getByLabel('Account').fill(account);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('table', { name: 'Snapshots' }).getByText('seeded-').first().waitFor();
    await context.close();

    const gzipped = [...scripts].map(
      (path) => gzipSync(readFileSync(join(CONSOLE_DIST, path)), { level: 9 }).length,
    );
    const kilobytes = gzipped.reduce((sum, size) => sum + size, 0) / 1024;
    process.stdout.write(
      `first page JavaScript: ${kilobytes.toFixed(1)} KB gzipped in ${scripts.size} files\n`,
    );
    expect(kilobytes).toBeLessThanOrEqual(FIRST_PAGE_BUDGET_KB);
  });
});
