import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DeleteSnapshotModal } from '../../console/src/pages/snapshots/snapshot-modals.tsx';
import { fakeApi, renderWithApi } from './support/fake-api.tsx';
import { anOperation, aSnapshot } from './support/records.ts';

describe('DeleteSnapshotModal', () => {
  it('says how long the recycle bin keeps it, and until when it can be recovered', async () => {
    const api = fakeApi({
      'GET /v1/settings': () => ({ status: 200, body: { recycleBinDays: 3 } }),
      'DELETE /v1/snapshots/{id}': () => ({
        status: 202,
        body: {
          snapshot: aSnapshot({ status: 'recycled', purgeAt: '2026-03-05T08:00:00.000Z' }),
          operation: anOperation({ type: 'snapshot.delete', status: 'succeeded' }),
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<DeleteSnapshotModal snapshot={aSnapshot()} onDismiss={() => {}} />, api.fetcher);

    await screen.findByText(/goes to the recycle bin for 3 days: its billing stops now/);
    await user.click(screen.getByRole('button', { name: 'Delete' }));

    await screen.findByText('Snapshot nightly is in the recycle bin');
    expect(screen.getByText(/recover it until 2026-03-05 08:00:00 UTC/)).toBeTruthy();
    const sent = api.received.find((each) => each.method === 'DELETE');
    expect(sent?.query.get('purge')).toBeNull();
  });

  it('says a deletion is immediate when the bin is off', async () => {
    const api = fakeApi({
      'GET /v1/settings': () => ({ status: 200, body: { recycleBinDays: 0 } }),
    });
    renderWithApi(<DeleteSnapshotModal snapshot={aSnapshot()} onDismiss={() => {}} />, api.fetcher);

    await screen.findByText(
      /recycle bin is off \(kept 0 days\), so the snapshot is deleted for good/,
    );
  });

  it('tells why a protected snapshot is refused, and what to do', async () => {
    const api = fakeApi({
      'GET /v1/settings': () => ({ status: 200, body: { recycleBinDays: 7 } }),
      'DELETE /v1/snapshots/{id}': () => ({
        status: 409,
        body: { status: 409, code: 'SNAPSHOT_PROTECTED', detail: 'snapshot is protected' },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<DeleteSnapshotModal snapshot={aSnapshot()} onDismiss={() => {}} />, api.fetcher);

    await user.click(await screen.findByRole('button', { name: 'Delete' }));

    await screen.findByText('The snapshot is protected, so it cannot be deleted.');
    expect(screen.getByText(/choose Turn off protection in its actions menu first/)).toBeTruthy();
  });
});
