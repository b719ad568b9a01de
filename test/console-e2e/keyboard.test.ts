import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tokenFor } from '../support/e2e-client.ts';
import { pressUntilFocused, rowOf, tabTo } from './support/console-page.ts';
import { consoleSessionPerFile } from './support/console-session-per-file.ts';
import { activeSlice } from './support/local-slices.ts';

describe('the snapshot flow with the keyboard alone', () => {
  const account = `acct-keys-${randomUUID().slice(0, 8)}`;
  const session = consoleSessionPerFile(account, {
    prepare: async () => {
      await activeSlice(await tokenFor(account), 'db-1');
    },
    keyboard: true,
  });

  it('takes a snapshot, watches it become Available, renames it and restores from it', async () => {
    const { page } = session;
    const navigation = page.getByRole('navigation', { name: 'Side navigation' });
    await tabTo(page, navigation.getByRole('link', { name: 'Snapshots', exact: true }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Snapshots' }).waitFor();

    await tabTo(page, page.getByRole('button', { name: 'Create snapshot' }));
    await page.keyboard.press('Enter');
    const create = page.getByRole('dialog', { name: 'Create snapshot' });
    await tabTo(page, create.getByLabel('Snapshot name'));
    await page.keyboard.type('by-keyboard');
    await tabTo(page, create.getByRole('radio', { name: /Power off first/ }));
    await page.keyboard.press('ArrowDown');
    expect(await create.getByRole('radio', { name: /Keep the slice running/ }).isChecked()).toBe(
      true,
    );
    await tabTo(page, create.getByRole('button', { name: 'Create', exact: true }));
    await page.keyboard.press('Enter');
    await rowOf(page, 'Snapshots', 'by-keyboard').getByText('Available').waitFor({
      timeout: 60_000,
    });

    await tabTo(page, page.getByRole('button', { name: 'Actions for snapshot by-keyboard' }));
    await page.keyboard.press('Enter');
    await pressUntilFocused(page, 'ArrowDown', page.getByRole('menuitem', { name: 'Rename' }));
    await page.keyboard.press('Enter');
    const rename = page.getByRole('dialog', { name: 'Rename by-keyboard' });
    await tabTo(page, rename.getByLabel('New name'));
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('kb-golden');
    await page.keyboard.press('Enter');
    await rowOf(page, 'Snapshots', 'kb-golden').waitFor();

    await tabTo(page, page.getByRole('button', { name: 'Actions for snapshot kb-golden' }));
    await page.keyboard.press('Enter');
    await pressUntilFocused(
      page,
      'ArrowDown',
      page.getByRole('menuitem', { name: 'Restore slice' }),
    );
    await page.keyboard.press('Enter');
    const restore = page.getByRole('dialog', { name: 'Restore a slice from kb-golden' });
    await tabTo(page, restore.getByLabel('Type db-1 to confirm'));
    await page.keyboard.type('db-1');
    await page.keyboard.press('Enter');
    await page.getByText('db-1 is restored from kb-golden').waitFor({ timeout: 60_000 });
  });
});
