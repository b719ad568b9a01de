import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import SnapshotPage from '../../console/src/pages/snapshots/snapshot-page.tsx';
import { fakeApi, renderWithApi } from './support/fake-api.tsx';
import { aPolicy, aSnapshot } from './support/records.ts';

describe('SnapshotPage', () => {
  it("shows a policy's snapshot with its slice, size, cost and the policy that took it", async () => {
    const snapshot = aSnapshot({
      id: 'snp_taken',
      name: 'web-1-20260310-1400',
      policyId: aPolicy().id,
      labels: { env: 'prod' },
    });
    const api = fakeApi({
      'GET /v1/snapshots/{id}': () => ({ status: 200, body: snapshot }),
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
      'GET /v1/snapshots/{id}': () => ({
        status: 404,
        body: {
          title: 'Not Found',
          status: 404,
          code: 'SNAPSHOT_NOT_FOUND',
          detail: 'no snp_gone',
        },
      }),
    });
    renderWithApi(<SnapshotPage params={{ id: 'snp_gone' }} />, api.fetcher);

    await screen.findByText('The snapshot could not be loaded');
    expect(screen.getByText(/That snapshot no longer exists/)).toBeTruthy();
  });
});
