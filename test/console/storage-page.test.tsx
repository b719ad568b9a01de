import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../console/src/api/client.ts';
import StoragePage from '../../console/src/pages/storage/storage-page.tsx';
import { fakeApi, ok, onePage, problem, renderWithApi } from './support/fake-api.tsx';
import { shownUnder } from './support/key-values.ts';
import { aSlice } from './support/records.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const usd = (amount: string) => ({ amount, currency: 'USD' as const });

const WEB = aSlice({ id: 'slc_web', name: 'web-1' });
const DB = aSlice({ id: 'slc_db', name: 'db-1' });
const COUNTED: Storage = {
  logicalBytes: 40 * GIB,
  storedBytes: 5.7 * GIB,
  dedupRatio: 7.02,
  monthlyCost: usd('12.50'),
  asOf: '2026-03-10T03:30:02.114Z',
  bySlice: [
    {
      sliceId: 'slc_web',
      snapshots: 7,
      logicalBytes: 28 * GIB,
      exclusiveBytes: 4 * GIB,
      monthlyCost: usd('9.50'),
    },
    {
      sliceId: 'slc_db',
      snapshots: 2,
      logicalBytes: 10 * GIB,
      exclusiveBytes: 900 * MIB,
      monthlyCost: usd('2.75'),
    },
    {
      sliceId: 'slc_gone',
      snapshots: 1,
      logicalBytes: 2 * GIB,
      exclusiveBytes: 0,
      monthlyCost: usd('0.25'),
    },
  ],
};

function storageApi(storage: Storage) {
  return fakeApi({
    'GET /v1/storage': () => ok(storage),
    'GET /v1/slices': () => onePage([WEB, DB]),
  });
}

/** The table's rows below its header, each as the text of its cells. */
function bodyRows(): string[][] {
  const table = screen.getByRole('table', { name: 'Storage by slice' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .queryAllByRole('cell')
        .concat(within(row).queryAllByRole('rowheader'))
        .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
        .map((cell) => cell.textContent ?? ''),
    );
}

describe('StoragePage', () => {
  beforeEach(() => window.history.replaceState(null, '', '/storage'));

  it("shows the account's figures as of the latest count, the ratio in words", async () => {
    renderWithApi(<StoragePage />, storageApi(COUNTED).fetcher);

    await screen.findByText(/As of 2026-03-10 03:30:02 UTC\./);
    expect(shownUnder('Data on disks snapshotted')).toBe('40.00 GiB');
    expect(shownUnder('Stored, after sharing and compression')).toBe('5.70 GiB');
    expect(shownUnder('Sharing and compression')).toBe('7.02× smaller');
    expect(shownUnder('Monthly cost')).toBe('$12.50');
  });

  it('lists each slice costliest first, a deleted one by its id, each linked to its snapshots', async () => {
    renderWithApi(<StoragePage />, storageApi(COUNTED).fetcher);

    await screen.findByText('deleted');
    expect(bodyRows()).toEqual([
      ['web-1', '7', '28.00 GiB', '4.00 GiB', '$9.50'],
      ['db-1', '2', '10.00 GiB', '900.0 MiB', '$2.75'],
      ['slc_gonedeleted', '1', '2.00 GiB', '0 B', '$0.25'],
    ]);
    expect(screen.getByRole('link', { name: 'db-1' }).getAttribute('href')).toBe(
      '/snapshots?sliceId=slc_db',
    );
    expect(screen.getByRole('link', { name: 'slc_gone' }).getAttribute('href')).toBe(
      '/snapshots?sliceId=slc_gone',
    );
  });

  it('sorts by the column whose header is chosen, and back', async () => {
    const user = userEvent.setup();
    renderWithApi(<StoragePage />, storageApi(COUNTED).fetcher);
    await screen.findByText('deleted');
    const table = screen.getByRole('table', { name: 'Storage by slice' });

    await user.click(within(table).getByRole('button', { name: /Slice/ }));
    await waitFor(() =>
      expect(bodyRows().map((row) => row[0])).toEqual(['db-1', 'slc_gonedeleted', 'web-1']),
    );
    await user.click(within(table).getByRole('button', { name: /Frees if all deleted/ }));
    expect(bodyRows().map((row) => row[3])).toEqual(['0 B', '900.0 MiB', '4.00 GiB']);
    await user.click(within(table).getByRole('button', { name: /Frees if all deleted/ }));
    expect(bodyRows().map((row) => row[3])).toEqual(['4.00 GiB', '900.0 MiB', '0 B']);
  });

  it('says the storage is not counted yet before the first count', async () => {
    const empty: Storage = {
      logicalBytes: 0,
      storedBytes: 0,
      dedupRatio: 1,
      monthlyCost: usd('0.00'),
      asOf: null,
      bySlice: [],
    };
    renderWithApi(<StoragePage />, storageApi(empty).fetcher);

    await screen.findByText('Not counted yet');
    expect(screen.queryByRole('table', { name: 'Storage by slice' })).toBeNull();
    expect(screen.queryByText(/As of/)).toBeNull();
  });

  it('tells a count that cannot be read in words', async () => {
    const api = fakeApi({
      'GET /v1/storage': () => problem(500, { detail: 'boom' }),
      'GET /v1/slices': () => onePage([]),
    });
    renderWithApi(<StoragePage />, api.fetcher);

    await screen.findByText('The storage count could not be loaded');
    expect(screen.queryByText('Not counted yet')).toBeNull();
  });
});
