import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import SnapshotPage from '../../console/src/pages/snapshots/snapshot-page.tsx';
import { fakeApi, ok, onePage, problem, renderWithApi } from './support/fake-api.tsx';
import { shownUnder } from './support/key-values.ts';
import { anOperation, aPolicy, aSlice, aSnapshot, REGIONS } from './support/records.ts';

describe('SnapshotPage', () => {
  it("shows a policy's snapshot with its slice, size, cost and the policy that took it", async () => {
    const snapshot = aSnapshot({
      id: 'snp_taken',
      name: 'web-1-20260310-1400',
      policyId: aPolicy().id,
      labels: { env: 'prod' },
    });
    const api = fakeApi({
      'GET /v1/snapshots/{id}': () => ok(snapshot),
    });
    renderWithApi(<SnapshotPage params={{ id: 'snp_taken' }} />, api.fetcher);

    await screen.findByRole('heading', { level: 1, name: 'web-1-20260310-1400' });
    expect(api.received.map((each) => each.path)).toContain('/v1/snapshots/snp_taken');
    expect(screen.getByText('Available')).toBeTruthy();
    expect(screen.getByText('40.00 GiB')).toBeTruthy();
    expect(screen.getByText('$2.00')).toBeTruthy();
    expect(screen.getByText('env=prod')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'web-1' }).getAttribute('href')).toBe(
      `/snapshots?sliceId=${snapshot.sliceId}`,
    );
    expect(screen.getByRole('link', { name: 'A snapshot policy' }).getAttribute('href')).toBe(
      `/policies/${aPolicy().id}`,
    );
  });

  it('tells a snapshot that is gone in words', async () => {
    const api = fakeApi({
      'GET /v1/snapshots/{id}': () =>
        problem(404, { code: 'SNAPSHOT_NOT_FOUND', detail: 'no snp_gone' }),
    });
    renderWithApi(<SnapshotPage params={{ id: 'snp_gone' }} />, api.fetcher);

    await screen.findByText('The snapshot could not be loaded');
    expect(screen.getByText(/That snapshot no longer exists/)).toBeTruthy();
  });
});

const MIB = 1024 ** 2;
const SLICES = onePage([]);

describe('SnapshotPage verification', () => {
  it('verifies on request, follows the operation, and shows what it found once it ends', async () => {
    let verified = false;
    let operationReads = 0;
    const api = fakeApi({
      'GET /v1/slices': () => SLICES,
      'GET /v1/snapshots': () => onePage([]),
      'GET /v1/snapshots/{id}': () => ({
        status: 200,
        body: verified
          ? aSnapshot({ verifyState: 'ok', verifiedAt: '2026-03-10T12:00:04.512Z' })
          : aSnapshot(),
      }),
      'POST /v1/snapshots/{id}/verify': () => ({
        status: 202,
        body: { operation: anOperation({ type: 'snapshot.verify', resourceType: 'snapshot' }) },
      }),
      'GET /v1/operations/{id}': () => {
        operationReads += 1;
        // The second read finds it ended, and the snapshot says so from then on.
        if (operationReads < 2) {
          return { status: 200, body: anOperation({ type: 'snapshot.verify' }) };
        }
        verified = true;
        return {
          status: 200,
          body: anOperation({ type: 'snapshot.verify', status: 'succeeded' }),
        };
      },
    });
    const user = userEvent.setup();
    renderWithApi(<SnapshotPage params={{ id: aSnapshot().id }} />, api.fetcher);
    await screen.findByText('Not verified yet');
    expect(screen.getByText('Never')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Verify' }));

    await screen.findByRole('progressbar', { name: 'Verification progress' });
    await screen.findByText('Intact', {}, { timeout: 5_000 });
    expect(screen.getByText('2026-03-10 12:00:04 UTC')).toBeTruthy();
    await screen.findByText('Verification of nightly finished');
    const sent = api.received.filter((each) => each.method === 'POST');
    expect(sent.map((each) => each.path)).toEqual([`/v1/snapshots/${aSnapshot().id}/verify`]);
  });

  it('says in words why a verification could not start', async () => {
    const api = fakeApi({
      'GET /v1/slices': () => SLICES,
      'GET /v1/snapshots': () => onePage([]),
      'GET /v1/snapshots/{id}': () => ok(aSnapshot()),
      'POST /v1/snapshots/{id}/verify': () =>
        problem(409, { code: 'SNAPSHOT_BEING_DELETED', detail: 'snapshot is being deleted' }),
    });
    const user = userEvent.setup();
    renderWithApi(<SnapshotPage params={{ id: aSnapshot().id }} />, api.fetcher);
    await screen.findByText('Not verified yet');

    await user.click(screen.getByRole('button', { name: 'Verify' }));

    await screen.findByText('The verification could not start');
  });

  it('marks a corrupt snapshot and says why its Restore slice and Create slice are refused', async () => {
    const api = fakeApi({
      'GET /v1/slices': () => SLICES,
      'GET /v1/snapshots': () => onePage([]),
      'GET /v1/snapshots/{id}': () => ({
        status: 200,
        body: aSnapshot({ verifyState: 'corrupt', verifiedAt: '2026-03-10T12:00:04.512Z' }),
      }),
    });
    renderWithApi(<SnapshotPage params={{ id: aSnapshot().id }} />, api.fetcher);

    await screen.findByText('This snapshot is corrupt');
    expect(screen.getByText(/Restore slice and Create slice are refused/)).toBeTruthy();
    expect(screen.getAllByText('Corrupt').length).toBeGreaterThan(0);
    for (const name of ['Restore slice', 'Create slice']) {
      const button = screen.getByRole('button', { name });
      expect(button.getAttribute('aria-disabled')).toBe('true');
    }
  });

  it('offers Restore slice for a whole snapshot, with the typed confirmation', async () => {
    const api = fakeApi({
      'GET /v1/slices': () => onePage([aSlice()]),
      'GET /v1/snapshots': () => onePage([]),
      'GET /v1/snapshots/{id}': () => ok(aSnapshot({ verifyState: 'ok' })),
    });
    const user = userEvent.setup();
    renderWithApi(<SnapshotPage params={{ id: aSnapshot().id }} />, api.fetcher);
    await screen.findByText('Intact');

    await user.click(screen.getByRole('button', { name: 'Restore slice' }));

    const dialog = await screen.findByRole('dialog', { name: 'Restore a slice from nightly' });
    expect(within(dialog).getByLabelText('Type web-1 to confirm')).toBeTruthy();
  });
});

describe('SnapshotPage changes since another snapshot', () => {
  it('compares with another available snapshot of the slice, a page of ranges at a time', async () => {
    const current = aSnapshot({ id: 'snp_after', name: 'after' });
    const before = aSnapshot({ id: 'snp_before', name: 'before' });
    const failed = aSnapshot({ id: 'snp_failed', name: 'broken', status: 'failed' });
    const api = fakeApi({
      'GET /v1/slices': () => SLICES,
      'GET /v1/snapshots': () => onePage([current, before, failed]),
      'GET /v1/snapshots/{id}': () => ok(current),
      'GET /v1/snapshots/{id}/changes': (request) => ({
        status: 200,
        body:
          request.query.get('cursor') === 'page-2'
            ? {
                changedBytes: 20 * MIB,
                ranges: [{ offset: 64 * MIB, length: 8 * MIB }],
                nextCursor: null,
              }
            : {
                changedBytes: 20 * MIB,
                ranges: [{ offset: 0, length: 12 * MIB }],
                nextCursor: 'page-2',
              },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<SnapshotPage params={{ id: 'snp_after' }} />, api.fetcher);
    await screen.findByRole('heading', { level: 1, name: 'after' });

    await user.click(screen.getByRole('button', { name: /Compare with/ }));
    const options = screen.getAllByRole('option').map((option) => option.textContent);
    expect(options.some((text) => text?.includes('before'))).toBe(true);
    expect(options.some((text) => text?.includes('broken') || text?.includes('after'))).toBe(false);
    await user.click(screen.getByRole('option', { name: /before/ }));

    await screen.findByRole('heading', { name: '20.0 MiB changed' });
    const table = screen.getByRole('table', { name: 'Changed ranges' });
    expect(within(table).getByText('12,582,912 (12.0 MiB)')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next page of ranges' }));
    await waitFor(() => expect(within(table).getByText('67,108,864 (64.0 MiB)')).toBeTruthy());
    const asked = api.received.filter((each) => each.path.endsWith('/changes'));
    expect(
      asked.map((each) => [each.path, each.query.get('base'), each.query.get('cursor')]),
    ).toEqual([
      ['/v1/snapshots/snp_after/changes', 'snp_before', null],
      ['/v1/snapshots/snp_after/changes', 'snp_before', 'page-2'],
    ]);
  });
});

describe('SnapshotPage storage', () => {
  /** The snapshot's page, once its Storage block is shown. */
  async function showStorageOf(snapshot: ReturnType<typeof aSnapshot>) {
    const api = fakeApi({
      'GET /v1/slices': () => SLICES,
      'GET /v1/snapshots': () => onePage([]),
      'GET /v1/snapshots/{id}': () => ok(snapshot),
    });
    renderWithApi(<SnapshotPage params={{ id: snapshot.id }} />, api.fetcher);
    await screen.findByRole('heading', { level: 2, name: 'Storage' });
  }

  it('shows what the snapshot takes in the store, frees if deleted and has cost this month', async () => {
    const snapshot = aSnapshot({
      storedBytes: 1_203_761_152,
      exclusiveBytes: 86 * MIB,
      costToDate: { amount: '0.31', currency: 'USD' },
    });
    await showStorageOf(snapshot);
    expect(shownUnder('Stored size')).toBe('1.12 GiB');
    expect(shownUnder('Frees if deleted')).toBe('86.0 MiB');
    expect(shownUnder('Cost so far this month')).toBe('$0.31');
    expect(screen.getByRole('link', { name: 'All storage' }).getAttribute('href')).toBe('/storage');
  });

  it('says the sizes are not counted yet before the first count', async () => {
    const snapshot = aSnapshot({ storedBytes: null, exclusiveBytes: null });
    await showStorageOf(snapshot);
    expect(shownUnder('Stored size')).toBe('Not counted yet');
    expect(shownUnder('Frees if deleted')).toBe('Not counted yet');
    expect(shownUnder('Cost so far this month')).toBe('$0.52');
  });

  it('shows no sizes for a failed snapshot, which no count weighs', async () => {
    const snapshot = aSnapshot({ status: 'failed', storedBytes: null, exclusiveBytes: null });
    await showStorageOf(snapshot);
    expect(shownUnder('Stored size')).toBe('—');
    expect(shownUnder('Frees if deleted')).toBe('—');
  });
});

describe('SnapshotPage copies', () => {
  const source = aSnapshot({ id: 'snp_source', name: 'golden', region: 'fra1' });
  const copy = aSnapshot({
    id: 'snp_copy',
    name: 'golden-offsite',
    region: 'nyc1',
    copiedFrom: { snapshotId: 'snp_source', region: 'fra1' },
  });

  it('names the snapshot a copy was copied from, linked, with its region', async () => {
    const api = fakeApi({
      'GET /v1/snapshots/{id}': ({ path }) => ({
        status: 200,
        body: path.endsWith('snp_source') ? source : copy,
      }),
    });
    renderWithApi(<SnapshotPage params={{ id: 'snp_copy' }} />, api.fetcher);

    const link = await screen.findByRole('link', { name: 'golden' });
    expect(link.getAttribute('href')).toBe('/snapshots/snp_source');
    expect(link.parentElement?.textContent).toBe('Copied from golden (fra1)');
    expect(shownUnder('Taken by')).toBe('A copy from fra1');
  });

  it('names a source that no longer exists by its id', async () => {
    const api = fakeApi({
      'GET /v1/snapshots/{id}': ({ path }) =>
        path.endsWith('snp_source')
          ? {
              status: 404,
              body: { status: 404, code: 'SNAPSHOT_NOT_FOUND', detail: 'no snp_source' },
            }
          : { status: 200, body: copy },
    });
    renderWithApi(<SnapshotPage params={{ id: 'snp_copy' }} />, api.fetcher);

    await screen.findByText('Copied from snp_source (fra1), which no longer exists');
  });

  it('says nothing of a source for a snapshot taken of a slice', async () => {
    const api = fakeApi({
      'GET /v1/snapshots/{id}': () => ok(source),
    });
    renderWithApi(<SnapshotPage params={{ id: 'snp_source' }} />, api.fetcher);

    await screen.findByRole('heading', { level: 1, name: 'golden' });
    expect(screen.queryByText(/Copied from/)).toBeNull();
    expect(shownUnder('Taken by')).toBe('A request by hand');
  });

  it('offers Copy to region for an available snapshot, and refuses it for one being copied', async () => {
    const api = fakeApi({
      'GET /v1/regions': () => ok({ items: REGIONS.slice(0, 2) }),
      'GET /v1/snapshots/{id}': ({ path }) => ({
        status: 200,
        body: path.endsWith('snp_source') ? source : { ...copy, status: 'copying' },
      }),
    });
    const user = userEvent.setup();
    const { unmount } = renderWithApi(<SnapshotPage params={{ id: 'snp_copy' }} />, api.fetcher);
    await screen.findByRole('heading', { level: 1, name: 'golden-offsite' });
    expect(
      screen.getByRole('button', { name: 'Copy to region' }).getAttribute('aria-disabled'),
    ).toBe('true');
    unmount();

    renderWithApi(<SnapshotPage params={{ id: 'snp_source' }} />, api.fetcher);
    await screen.findByRole('heading', { level: 1, name: 'golden' });
    await user.click(screen.getByRole('button', { name: 'Copy to region' }));

    const dialog = await screen.findByRole('dialog', { name: 'Copy golden to another region' });
    await within(dialog).findByText('New York 1');
  });
});
