import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call, tokenFor, until } from '../support/e2e-client.ts';
import {
  confirmRowAction,
  expectAccessible,
  expectAccessibleAndShoot,
  openSection,
  rowDialog,
  rowOf,
} from './support/console-page.ts';
import { consoleSessionPerFile } from './support/console-session-per-file.ts';
import { activeSlice, availableSnapshot, writeData } from './support/local-slices.ts';

const DELETED_WITHIN_MS = 60_000;
/** Written between the two snapshots from 1 MiB on: it lies within the disk's first 4 MiB chunk. */
const WRITTEN_BETWEEN_MIB = 2;

interface CountedSnapshot {
  readonly storedBytes: number | null;
}

/** The value shown under `label` in the page's key-value pairs. */
function shownUnder(page: Page, label: string) {
  return page
    .locator('dt', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');
}

describe('labels, protection, the recycle bin and storage', () => {
  const account = `acct-bin-${randomUUID().slice(0, 8)}`;
  let token: string;
  let weeklyId: string;

  const session = consoleSessionPerFile(account, {
    prepare: async () => {
      token = await tokenFor(account);
      const sliceId = await activeSlice(token, 'db-1');
      await writeData(sliceId, 8);
      await availableSnapshot(token, sliceId, 'nightly');
      await writeData(sliceId, WRITTEN_BETWEEN_MIB);
      weeklyId = await availableSnapshot(token, sliceId, 'weekly');
    },
    // The unreadable selector (400) and the refused deletion (409) are logged by the browser as
    // failed fetches; nothing else may be.
    allowedErrors: /status of (400|409)/,
  });

  it("shows on a snapshot's page what it takes in the store and the changes since an older one", async () => {
    const { page } = session;
    // A storage count runs once a snapshot is available; this one began after weekly's image was
    // whole, so it counted both snapshots.
    await until(
      async () => (await call(token, 'GET', `/v1/snapshots/${weeklyId}`)).body as CountedSnapshot,
      (snapshot) => snapshot.storedBytes !== null,
    );
    await openSection(page, 'Snapshots');
    await rowOf(page, 'Snapshots', 'weekly').getByRole('link', { name: 'weekly' }).click();
    await page.getByRole('heading', { level: 1, name: 'weekly' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Storage' }).waitFor();
    expect(await shownUnder(page, 'Stored size').textContent()).toMatch(/^\d+\.\d MiB$/);
    // Its first chunk was rewritten after nightly: no other snapshot names it.
    expect(await shownUnder(page, 'Frees if deleted').textContent()).toMatch(/^\d+\.\d MiB$/);
    expect(await shownUnder(page, 'Cost so far this month').textContent()).toMatch(/^\$\d+\.\d+$/);

    await page.getByRole('button', { name: /^Compare with/ }).click();
    await page.getByRole('option', { name: /nightly/ }).click();
    await page.getByRole('heading', { name: '4.0 MiB changed' }).waitFor();
    const ranges = page.getByRole('table', { name: 'Changed ranges' }).getByRole('row');
    expect(await ranges.count()).toBe(2);
    expect(await ranges.nth(1).textContent()).toContain('0 (0 B)4,194,304 (4.0 MiB)4.0 MiB');
    await expectAccessible(page, 'snapshot page with its storage and changes');
  });

  it('shows on the Storage page the slice with its snapshots and what they take', async () => {
    const { page } = session;
    await openSection(page, 'Storage');
    await page.getByText(/^As of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./).waitFor();
    expect(await shownUnder(page, 'Stored, after sharing and compression').textContent()).toMatch(
      /^\d+\.\d MiB$/,
    );
    expect(await shownUnder(page, 'Sharing and compression').textContent()).toMatch(/×/);
    const cells = rowOf(page, 'Storage by slice', 'db-1').getByRole('cell');
    expect(await cells.nth(0).textContent()).toBe('2');
    expect(await cells.nth(2).textContent()).toMatch(/^\d+\.\d MiB$/);
    await expectAccessibleAndShoot(page, 'storage', 'storage');
  });

  it('labels a snapshot and filters the table by a label selector', async () => {
    const { page } = session;
    await openSection(page, 'Snapshots');
    const dialog = await rowDialog(page, 'snapshot', 'nightly', 'Edit labels', 'Labels of nightly');
    await dialog.getByRole('button', { name: 'Add label' }).click();
    await dialog.getByLabel('Key of label 1').fill('env');
    await dialog.getByLabel('Value of label 1').fill('prod');
    await expectAccessible(page, 'labels dialog');
    await dialog.getByRole('button', { name: 'Save labels' }).click();
    await rowOf(page, 'Snapshots', 'nightly').getByText('env=prod').waitFor();

    const selector = page.getByPlaceholder('Filter by label selector');
    await selector.fill('env==prod');
    await selector.press('Enter');
    await rowOf(page, 'Snapshots', 'weekly').waitFor({ state: 'detached' });
    await rowOf(page, 'Snapshots', 'nightly').waitFor();
    expect(new URL(page.url()).searchParams.get('labelSelector')).toBe('env==prod');

    await selector.fill('env in prod');
    await selector.press('Enter');
    await page.getByText('The label filter cannot be read.').waitFor();
    await selector.fill('');
    await rowOf(page, 'Snapshots', 'weekly').waitFor();
  });

  it('refuses to delete a protected snapshot, and says what to do', async () => {
    const { page } = session;
    await confirmRowAction(
      page,
      'snapshot',
      'nightly',
      'Turn on protection',
      'Turn on protection of nightly?',
    );
    await rowOf(page, 'Snapshots', 'nightly').getByRole('img', { name: 'Protected' }).waitFor();

    const dialog = await rowDialog(page, 'snapshot', 'nightly', 'Delete', 'Delete nightly?');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByText('The snapshot is protected, so it cannot be deleted.').waitFor();
    await dialog.getByText('choose Turn off protection in its actions menu first').waitFor();
    await expectAccessibleAndShoot(
      page,
      'a protected snapshot refusing deletion',
      'protected-snapshot',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await rowOf(page, 'Snapshots', 'nightly').getByText('Available').waitFor();
  });

  it('deletes it into the recycle bin once unprotected, and recovers it from there', async () => {
    const { page } = session;
    await confirmRowAction(
      page,
      'snapshot',
      'nightly',
      'Turn off protection',
      'Turn off protection of nightly?',
    );
    await page.getByText('Snapshot nightly is no longer protected').waitFor();
    const dialog = await rowDialog(page, 'snapshot', 'nightly', 'Delete', 'Delete nightly?');
    await dialog.getByText('goes to the recycle bin for 7 days').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Snapshot nightly is in the recycle bin').waitFor();
    await rowOf(page, 'Snapshots', 'nightly').waitFor({ state: 'detached' });

    await openSection(page, 'Recycle bin');
    const row = rowOf(page, 'Recycle bin', 'nightly');
    await row.getByText(/in 6 days 23 h|in 7 days/).waitFor();
    expect(await row.textContent()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await page.getByText('Deleted snapshots wait here for 7 days').waitFor();
    await expectAccessibleAndShoot(page, 'recycle bin', 'recycle-bin');

    await confirmRowAction(page, 'snapshot', 'nightly', 'Recover', 'Recover nightly?');
    await page.getByText('Snapshot nightly is recovered').waitFor();
    await row.waitFor({ state: 'detached' });
    await openSection(page, 'Snapshots');
    await rowOf(page, 'Snapshots', 'nightly').getByText('Available').waitFor();
  });

  it('deletes a recycled snapshot for good once its name is typed', async () => {
    const { page } = session;
    await confirmRowAction(page, 'snapshot', 'weekly', 'Delete', 'Delete weekly?');
    await page.getByText('Snapshot weekly is in the recycle bin').waitFor();

    await openSection(page, 'Recycle bin');
    const dialog = await rowDialog(
      page,
      'snapshot',
      'weekly',
      'Delete for good',
      'Delete weekly for good?',
    );
    const purge = dialog.getByRole('button', { name: 'Delete for good' });
    await dialog.getByLabel('Type weekly to confirm').fill('week');
    expect(await purge.isDisabled()).toBe(true);
    await dialog.getByLabel('Type weekly to confirm').fill('weekly');
    await expectAccessible(page, 'delete for good dialog');
    await purge.click();
    await page
      .getByText('Snapshot weekly is deleted for good')
      .waitFor({ timeout: DELETED_WITHIN_MS });
    await rowOf(page, 'Recycle bin', 'weekly').waitFor({ state: 'detached' });
  });

  it('changes how many days the recycle bin keeps a snapshot', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Recycle bin settings' });
    await dialog.getByLabel('Days a deleted snapshot is kept').fill('14');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Deleted snapshots are kept 14 days in the recycle bin').waitFor();
    await page.getByText('Deleted snapshots wait here for 14 days').waitFor();
  });
});
