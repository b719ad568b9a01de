import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PolicyRun } from '../../console/src/api/client.ts';
import { PolicyRuns } from '../../console/src/pages/policies/policy-runs.tsx';
import { fakeApi, onePage, renderWithApi } from './support/fake-api.tsx';
import { aPolicy, aPolicyRun, aSlice } from './support/records.ts';

const SLICE_NAMES = new Map([[aSlice().id, 'web-1']]);

function renderRuns(runs: readonly PolicyRun[]) {
  const api = fakeApi({
    'GET /v1/snapshot-policies/{id}/runs': () => onePage(runs),
  });
  renderWithApi(<PolicyRuns policyId={aPolicy().id} sliceNames={SLICE_NAMES} />, api.fetcher);
}

describe('PolicyRuns', () => {
  it('links each snapshot a run took to its page, named by its slice', async () => {
    renderRuns([
      aPolicyRun({
        taken: [
          { sliceId: aSlice().id, snapshotId: 'snp_a' },
          { sliceId: 'slc_unknown', snapshotId: 'snp_b' },
        ],
      }),
    ]);

    const taken = await screen.findByRole('list', { name: 'Snapshots taken' });
    const links = within(taken).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Snapshot of web-1', '/snapshots/snp_a'],
      ['Snapshot of slc_unknown', '/snapshots/snp_b'],
    ]);
    expect(taken.closest('td')?.textContent).toMatch(/^2/);
  });

  it('says why a run ended early, as a run and not as an operation that was put back', async () => {
    renderRuns([
      aPolicyRun({
        taken: [],
        error: {
          code: 'WORKFLOW_ABORTED',
          message: 'the run was stopped before it went through its slices',
        },
      }),
    ]);

    const row = await screen.findByRole('row', { name: /2026-03-10 12:00:00 UTC/ });
    expect(row.textContent).toContain('2026-03-10 12:01:30 UTC');
    expect(row.textContent).toContain('Ended early');
    expect(row.textContent).toContain(
      'The run was stopped before it went through its slices. Snapshots it took or began stay. Choose Run now to run it again, or wait for its next run.',
    );
    expect(row.textContent).not.toContain('put back');
  });

  it('tells any other code that ended a run in the words of that code', async () => {
    renderRuns([
      aPolicyRun({ error: { code: 'STORE_UNAVAILABLE', message: 'the store did not answer' } }),
    ]);

    const row = await screen.findByRole('row', { name: /2026-03-10 12:00:00 UTC/ });
    expect(row.textContent).toContain('The image store could not be reached.');
  });

  it('says nothing of an early end for a run that went through its slices', async () => {
    renderRuns([aPolicyRun()]);

    const row = await screen.findByRole('row', { name: /2026-03-10 12:00:00 UTC/ });
    expect(row.textContent).not.toContain('Ended early');
  });
});
