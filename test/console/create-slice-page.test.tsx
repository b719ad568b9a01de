import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import CreateSlicePage from '../../console/src/pages/slices/create-slice-page.tsx';
import { fakeApi, ok, onePage, renderWithApi } from './support/fake-api.tsx';
import { anOperation, aSlice, aSnapshot, REGIONS } from './support/records.ts';

const GIB = 1024 ** 3;
const OLD = aSnapshot({
  id: 'snp_01JD3QY8W7T2B6G0ZC4M9X5K7Q',
  name: 'golden',
  region: 'nyc1',
  diskBytes: 20 * GIB + 1,
});

function api() {
  return fakeApi({
    'GET /v1/regions': () => ok({ items: REGIONS.slice(0, 2) }),
    // The snapshot asked for is older than the newest listed: it is read on its own.
    'GET /v1/snapshots': () => onePage([aSnapshot()]),
    'GET /v1/snapshots/{id}': () => ok(OLD),
    'POST /v1/slices': () => ({
      status: 202,
      body: { slice: aSlice({ name: 'web-copy', status: 'building' }), operation: anOperation() },
    }),
  });
}

describe('CreateSlicePage', () => {
  beforeEach(() => window.history.replaceState(null, '', `/slices/create?snapshotId=${OLD.id}`));

  it('starts from the snapshot in the address: its region, and a disk at least its own', async () => {
    const server = api();
    const user = userEvent.setup();
    renderWithApi(<CreateSlicePage />, server.fetcher);

    await screen.findByRole('button', { name: /golden/ });
    expect(
      (screen.getByRole('radio', { name: /From a snapshot/ }) as HTMLInputElement).checked,
    ).toBe(true);
    expect(
      screen.getByText("At least 21 GiB: the snapshot's disk. Left empty: 21 GiB."),
    ).toBeTruthy();
    await user.type(screen.getByLabelText('Name'), 'web-copy');
    await user.click(screen.getByRole('button', { name: 'Create slice' }));

    await waitFor(() => expect(window.location.pathname).toBe('/slices'));
    const sent = server.received.find((each) => each.method === 'POST');
    expect(sent?.body).toEqual({
      name: 'web-copy',
      region: 'nyc1',
      diskGB: 21,
      snapshotId: OLD.id,
    });
  });

  it('makes a blank slice in the region and size chosen', async () => {
    window.history.replaceState(null, '', '/slices/create');
    const server = api();
    const user = userEvent.setup();
    renderWithApi(<CreateSlicePage />, server.fetcher);

    await user.type(await screen.findByLabelText('Name'), 'db-1');
    await user.click(screen.getByRole('button', { name: /Region/ }));
    await user.click(await screen.findByRole('option', { name: /New York 1/ }));
    await user.type(screen.getByLabelText('Disk size (GiB)'), '8');
    await user.click(screen.getByRole('button', { name: 'Create slice' }));

    await waitFor(() =>
      expect(server.received.find((each) => each.method === 'POST')?.body).toEqual({
        name: 'db-1',
        region: 'nyc1',
        diskGB: 8,
      }),
    );
  });
});
