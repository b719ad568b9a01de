import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, tokenFor } from '../support/e2e-client.ts';
import { expectAccessibleAndShoot, openSection, rowDialog } from './support/console-page.ts';
import { consoleSessionPerFile } from './support/console-session-per-file.ts';
import { activeSlice, writeData } from './support/local-slices.ts';

describe('a busy slice, in words', () => {
  const account = `acct-busy-${randomUUID().slice(0, 8)}`;
  let token: string;
  let sliceId: string;
  const session = consoleSessionPerFile(account, {
    prepare: async () => {
      token = await tokenFor(account);
      sliceId = await activeSlice(token, 'app-1');
      // The upload holds the slice's lock for a few seconds.
      await writeData(sliceId, 64);
    },
    // The refused request is logged by the browser as a failed fetch; nothing else may be.
    allowedErrors: /status of 409/,
  });

  it('names the operation in the way, says what to do, and links to it', async () => {
    const { page } = session;
    await openSection(page, 'Slices');
    const dialog = await rowDialog(page, 'slice', 'app-1', 'Take snapshot', 'Create snapshot');
    await dialog.getByLabel('Snapshot name').waitFor();
    // Someone else takes a snapshot of the slice meanwhile, through the API.
    const other = await call(token, 'POST', `/v1/slices/${sliceId}/snapshots`, { body: {} });
    const operationId = (other.body as { operation: { id: string } }).operation.id;

    await dialog.getByRole('button', { name: 'Create', exact: true }).click();

    await dialog.getByText('The slice is busy with another operation (Take snapshot).').waitFor();
    await dialog.getByText('Wait until that operation ends, then try again.').waitFor();
    await expectAccessibleAndShoot(page, 'busy slice error', 'busy-slice');
    const link = dialog.getByRole('link', { name: 'View the operation in the way' });
    expect(await link.getAttribute('href')).toBe(`/operations/${operationId}`);
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Take snapshot' }).waitFor();
    await page.getByText(operationId).waitFor();
  });
});
