import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tokenFor } from '../support/e2e-client.ts';
import {
  expectAccessibleAndShoot,
  openSection,
  rowAction,
  rowDialog,
  rowOf,
  screenshot,
} from './support/console-page.ts';
import { consoleSessionPerFile } from './support/console-session-per-file.ts';
import { activeSlice, writeData } from './support/local-slices.ts';

const AVAILABLE_WITHIN_MS = 60_000;
/** Enough data for the upload to show its progress for a moment. */
const DATA_MIB = 64;

describe('the console, from taking a snapshot to deleting it', () => {
  const account = `acct-console-${randomUUID().slice(0, 8)}`;
  // Every page runs under the Content-Security-Policy without a violation or an error.
  const session = consoleSessionPerFile(account, {
    prepare: async () => {
      const token = await tokenFor(account);
      const sliceId = await activeSlice(token, 'web-1');
      await writeData(sliceId, DATA_MIB);
    },
  });

  it('takes a snapshot and watches it turn Available without a reload', async () => {
    const { page } = session;
    await openSection(page, 'Slices');
    await rowOf(page, 'Slices', 'web-1').getByText('Active').waitFor();
    await expectAccessibleAndShoot(page, 'slices', 'slices');

    // The documentation's way: Create Snapshot above the table, choose the slice, name it.
    await openSection(page, 'Snapshots');
    await page.getByRole('button', { name: 'Create snapshot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create snapshot' });
    await dialog.getByText('it is recommended that you power off your slice').waitFor();
    expect(await dialog.getByRole('button', { name: /^Slice/ }).textContent()).toContain('web-1');
    expect(
      await dialog.getByRole('radio', { name: /Power off first \(recommended\)/ }).isChecked(),
    ).toBe(true);
    // The host's quote for the data written, powered off first; then quoted again for a running
    // slice, without downtime. The snapshot then taken has the quoted size.
    const quote = dialog.getByRole('region', { name: 'Quote' });
    await quote.getByText(/^About .* powered off$/).waitFor();
    const quotedSize = /Size(\d+\.\d MiB)/.exec((await quote.textContent()) ?? '')?.[1];
    expect(quotedSize).toBeDefined();
    expect(await quote.textContent()).toMatch(/Monthly cost\$\d+\.\d+/);
    expect(await quote.textContent()).toMatch(/Expected timeAbout \d/);
    await dialog.getByRole('radio', { name: /Keep the slice running/ }).check();
    await quote.getByText('None: the slice keeps running').waitFor();
    await dialog.getByRole('radio', { name: /Power off first \(recommended\)/ }).check();
    await quote.getByText(/^About .* powered off$/).waitFor();
    await dialog.getByLabel('Snapshot name').fill('before-upgrade');
    await expectAccessibleAndShoot(page, 'create snapshot dialog', 'take-snapshot');
    const loaded = await page.evaluate(() => performance.timeOrigin);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();

    const row = rowOf(page, 'Snapshots', 'before-upgrade');
    await row.getByRole('progressbar').waitFor();
    expect(await row.textContent()).toMatch(/elapsed/);
    await screenshot(page, 'snapshot-running');
    await row.getByText('Available').waitFor({ timeout: AVAILABLE_WITHIN_MS });
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
    expect(await row.textContent()).toContain(quotedSize ?? 'the quoted size');
    await page.getByText('Snapshot before-upgrade is available').waitFor();
    await expectAccessibleAndShoot(page, 'snapshots', 'snapshots');
  });

  it('verifies the snapshot from its page and finds it intact', async () => {
    const { page } = session;
    await rowOf(page, 'Snapshots', 'before-upgrade')
      .getByRole('link', { name: 'before-upgrade' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'before-upgrade' }).waitFor();
    await page.getByText('Not verified yet').waitFor();
    await page.getByRole('button', { name: 'Verify', exact: true }).click();

    await page.getByText('Verification of before-upgrade finished').waitFor({
      timeout: AVAILABLE_WITHIN_MS,
    });
    await page.getByText('Intact', { exact: true }).waitFor();
    expect(await page.getByText('Never', { exact: true }).count()).toBe(0);
    await expectAccessibleAndShoot(page, 'snapshot page', 'snapshot-verified');
    await openSection(page, 'Snapshots');
  });

  it('copies the snapshot to the other region and watches the copy turn Available', async () => {
    const { page } = session;
    const dialog = await rowDialog(
      page,
      'snapshot',
      'before-upgrade',
      'Copy to region',
      'Copy before-upgrade to another region',
    );
    // The snapshot is in fra1: New York 1, the only other region, is offered and chosen already.
    expect(await dialog.getByRole('button', { name: /^Region/ }).textContent()).toContain(
      'New York 1',
    );
    await dialog.getByLabel('Name of the copy').fill('offsite');
    await expectAccessibleAndShoot(page, 'copy dialog', 'copy-snapshot');
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();

    const notices = page.getByRole('region', { name: 'Notifications' });
    await notices.getByRole('link', { name: 'Open the copy offsite in nyc1' }).waitFor();
    const copy = rowOf(page, 'Snapshots', 'offsite');
    expect(await copy.textContent()).toContain('nyc1');
    await copy.getByText('Available').waitFor({ timeout: AVAILABLE_WITHIN_MS });
    await page.getByText('The copy offsite in New York 1 is available').waitFor();

    await copy.getByRole('link', { name: 'offsite' }).click();
    await page.getByRole('heading', { level: 1, name: 'offsite' }).waitFor();
    const source = page.getByRole('link', { name: 'before-upgrade', exact: true });
    await source.waitFor();
    expect(await source.locator('xpath=..').textContent()).toBe(
      'Copied from before-upgrade (fra1)',
    );
    await expectAccessibleAndShoot(page, 'copy page', 'snapshot-copy');
    await openSection(page, 'Snapshots');
  });

  it('renames the snapshot', async () => {
    const { page } = session;
    const dialog = await rowDialog(
      page,
      'snapshot',
      'before-upgrade',
      'Rename',
      'Rename before-upgrade',
    );
    await dialog.getByLabel('New name').fill('golden');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await rowOf(page, 'Snapshots', 'golden').waitFor();
    await page.getByText('Snapshot renamed to golden').waitFor();
  });

  it('restores the slice once its name is typed, and the operation succeeds', async () => {
    const { page } = session;
    const dialog = await rowDialog(
      page,
      'snapshot',
      'golden',
      'Restore slice',
      'Restore a slice from golden',
    );
    await dialog.getByText('replaces all data on the slice').first().waitFor();
    const restore = dialog.getByRole('button', { name: 'Restore', exact: true });
    const confirmation = dialog.getByLabel('Type web-1 to confirm');
    await confirmation.fill('web-');
    expect(await restore.isDisabled()).toBe(true);
    await confirmation.fill('web-1');
    expect(await restore.isDisabled()).toBe(false);
    await expectAccessibleAndShoot(page, 'restore dialog', 'restore-slice');
    await restore.click();

    const done = page.getByText('web-1 is restored from golden');
    await done.waitFor({ timeout: AVAILABLE_WITHIN_MS });
    await page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('link', { name: 'View the operation' })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Restore slice' }).waitFor();
    await page.getByText('Succeeded').waitFor();
    await expectAccessibleAndShoot(page, 'operation', 'operation');
  });

  it('creates a slice from the snapshot', async () => {
    const { page } = session;
    await openSection(page, 'Snapshots');
    await rowAction(page, 'snapshot', 'golden', 'Create slice');
    await page.getByRole('heading', { level: 1, name: 'Create slice' }).waitFor();
    expect(await page.getByRole('radio', { name: /From a snapshot/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: /golden/ }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('web-copy');
    await expectAccessibleAndShoot(page, 'create slice', 'create-slice');
    await page.getByRole('button', { name: 'Create slice' }).click();

    await page.getByRole('heading', { level: 1, name: 'Slices' }).waitFor();
    await rowOf(page, 'Slices', 'web-copy').getByText('Active').waitFor({
      timeout: AVAILABLE_WITHIN_MS,
    });
    await page.getByText('Slice web-copy is ready').waitFor();
  });

  it("shows the snapshot's line on this month's estimate", async () => {
    const { page } = session;
    await openSection(page, 'Billing');
    // A charge line keeps the name the snapshot had when its billing started.
    const line = rowOf(page, 'Charges for', 'before-upgrade');
    await line.waitFor();
    expect(await line.textContent()).toMatch(/\$0\.\d\d/);
    await page.getByText('Estimate', { exact: true }).first().waitFor();
    await page.getByText(/Total \(estimate\): \$\d+\.\d\d/).waitFor();
    await expectAccessibleAndShoot(page, 'billing', 'billing');
  });

  it('lists what was done on the Operations page', async () => {
    const { page } = session;
    await openSection(page, 'Operations');
    for (const name of ['Take snapshot', 'Restore slice', 'Create slice']) {
      await rowOf(page, 'Operations', name).filter({ hasText: 'Succeeded' }).first().waitFor();
    }
    await expectAccessibleAndShoot(page, 'operations', 'operations');
  });

  it('deletes the snapshot into the recycle bin', async () => {
    const { page } = session;
    await openSection(page, 'Snapshots');
    const dialog = await rowDialog(page, 'snapshot', 'golden', 'Delete', 'Delete golden?');
    await dialog.getByText('goes to the recycle bin for 7 days').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Snapshot golden is in the recycle bin').waitFor();
    await rowOf(page, 'Snapshots', 'golden').waitFor({ state: 'detached' });
  });
});
