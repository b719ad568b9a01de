import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call, tokenFor } from '../support/e2e-client.ts';
import {
  expectAccessible,
  expectAccessibleAndShoot,
  openSection,
  rowOf,
  screenshot,
} from './support/console-page.ts';
import { consoleSessionPerFile } from './support/console-session-per-file.ts';
import { activeSlice, availableSnapshot, writeData } from './support/local-slices.ts';

/**
 * How far the page or any box around a table scrolls sideways, in pixels: 0 when everything
 * fits the window.
 */
function sidewaysOverflow(page: Page, table: string): Promise<number> {
  return page.getByRole('table', { name: table }).evaluate((element) => {
    const root = element.ownerDocument.documentElement;
    let widest = root.scrollWidth - root.clientWidth;
    for (let box = element.parentElement; box; box = box.parentElement) {
      widest = Math.max(widest, box.scrollWidth - box.clientWidth);
    }
    return widest;
  });
}

describe('snapshot policies in the console', () => {
  const account = `acct-policies-${randomUUID().slice(0, 8)}`;
  /** When the run of Run now began, as the console writes it. */
  let runStartedAt = '';

  const session = consoleSessionPerFile(account, {
    prepare: async () => {
      const token = await tokenFor(account);
      const sliceId = await activeSlice(token, 'web-1');
      await writeData(sliceId, 8);
      const snapshotId = await availableSnapshot(token, sliceId, 'web-1-before-upgrade');
      await call(token, 'PATCH', `/v1/snapshots/${snapshotId}`, {
        body: { labels: { env: 'prod', 'team.example/owner': 'web' } },
      });
    },
  });

  it('shows the Snapshots table at 1280 px without scrolling sideways', async () => {
    const { page } = session;
    await openSection(page, 'Snapshots');
    await rowOf(page, 'Snapshots', 'web-1-before-upgrade').getByText('Available').waitFor();
    await rowOf(page, 'Snapshots', 'web-1-before-upgrade').getByText('env=prod').waitFor();

    expect(await sidewaysOverflow(page, 'Snapshots')).toBe(0);
  });

  it('creates a policy after previewing what it would keep and cost', async () => {
    const { page } = session;
    await openSection(page, 'Snapshot policies');
    await page.getByText('No snapshot policy').waitFor();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create policy' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('web nightly');
    await page.getByRole('button', { name: /Choose slices/ }).click();
    await page.getByRole('option', { name: /web-1/ }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('At (UTC)').fill('02:30');
    await page.getByLabel('Last', { exact: true }).fill('3');
    await page.getByLabel('Daily', { exact: true }).fill('7');
    await page.getByLabel('Days to look ahead').fill('14');
    await page.getByRole('button', { name: 'Preview' }).click();

    const now = page.getByRole('table', { name: 'Now, web-1' });
    await now.waitFor();
    const end = page.getByRole('table', { name: "At the window's end, web-1" });
    // Fourteen daily runs, kept by the rules: the last 3, then one a day for the 7 days.
    expect(await end.getByText('to be taken', { exact: true }).count()).toBe(10);
    await page.getByLabel('Runs of the policy by day').first().waitFor();
    await expectAccessible(page, 'policy form with its preview');

    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { level: 1, name: 'web nightly' }).waitFor();
    await page.getByText('Policy web nightly is created').waitFor();
    await page.getByText('Daily at 02:30 UTC').waitFor();
    await page.getByText('No run yet').waitFor();
    await page.getByRole('table', { name: 'Now, web-1' }).waitFor();
    await expectAccessible(page, 'policy page');
    await page
      .getByRole('heading', { level: 2, name: 'Simulation' })
      .evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'policy-simulation');
  });

  it('runs the policy now and shows the run finished, with the snapshot it took', async () => {
    const { page } = session;
    await page.getByRole('heading', { level: 1, name: 'web nightly' }).waitFor();

    await page.getByRole('button', { name: 'Run now' }).click();

    const flash = page.getByText(/^The run began at (.+ UTC);/);
    await flash.waitFor();
    runStartedAt = /began at (.+ UTC);/.exec((await flash.textContent()) ?? '')?.[1] ?? '';
    const run = rowOf(page, 'Runs', runStartedAt);
    await run.getByText('Run now', { exact: true }).waitFor();
    // The history is read again while the run goes, so it turns finished without a reload: the
    // snapshot of web-1 shows once the run has ended with it available.
    const taken = run.getByRole('link', { name: 'Snapshot of web-1' });
    await taken.waitFor({ timeout: 120_000 });
    await run.getByText('Running').waitFor({ state: 'detached' });
    expect(
      await run.getByRole('list', { name: 'Snapshots taken' }).getByRole('listitem').count(),
    ).toBe(1);
    expect(await run.getByText('Ended early').count()).toBe(0);
    expect(
      await page.getByRole('button', { name: 'Run now' }).getAttribute('aria-disabled'),
    ).toBeNull();
    await expectAccessible(page, 'policy page after a run');
    await page
      .getByRole('heading', { level: 2, name: 'Runs' })
      .evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'policy-runs');

    await taken.click();
    await page.getByRole('link', { name: 'A snapshot policy' }).waitFor();
    await page.getByText('Available', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'web-1', exact: true }).waitFor();
    await expectAccessibleAndShoot(page, 'snapshot page', 'snapshot');
  });

  it('lists the policy, disables it in place and deletes it, leaving its snapshots', async () => {
    const { page } = session;
    await openSection(page, 'Snapshot policies');
    const row = rowOf(page, 'Snapshot policies', 'web nightly');
    await row.getByText('Daily at 02:30 UTC').waitFor();
    await row.getByText('last 3, 7 daily').waitFor();
    await row.getByText(runStartedAt).waitFor();
    await expectAccessibleAndShoot(page, 'policies', 'policies');

    await page.getByRole('button', { name: 'Actions for policy web nightly' }).click();
    await page.getByRole('menuitem', { name: 'Disable', exact: true }).click();
    await row.getByText('Disabled').waitFor();

    await page.getByRole('button', { name: 'Actions for policy web nightly' }).click();
    await page.getByRole('menuitem', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete policy web nightly?' });
    await dialog.getByText('The snapshots it took stay').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Policy web nightly is deleted; its snapshots stay').waitFor();
    await row.waitFor({ state: 'detached' });
    await openSection(page, 'Snapshots');
    // The snapshot its run took stays, with the label that names the policy.
    await rowOf(page, 'Snapshots', 'slice-snapshots/policy=pol_').waitFor();
    await rowOf(page, 'Snapshots', 'web-1-before-upgrade').waitFor();
  });
});
