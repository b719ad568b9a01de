import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyRun } from '../../console/src/api/client.ts';
import { RUNNING_POLL_MS } from '../../console/src/api/policy-queries.ts';
import PoliciesPage from '../../console/src/pages/policies/policies-page.tsx';
import PolicyPage from '../../console/src/pages/policies/policy-page.tsx';
import { fakeApi, ok, onePage, problem, renderWithApi } from './support/fake-api.tsx';
import { aPolicy, aPolicyRun, aSimulation, aSlice } from './support/records.ts';

const SLICES = () => onePage([aSlice()]);
const RUNNING = aPolicyRun({
  id: 'run_now',
  trigger: 'manual',
  status: 'running',
  startedAt: '2026-03-10T14:00:00.000Z',
  finishedAt: null,
  taken: [],
});
const FINISHED = aPolicyRun({
  ...RUNNING,
  status: 'finished',
  finishedAt: '2026-03-10T14:00:40.000Z',
  taken: [{ sliceId: aSlice().id, snapshotId: 'snp_now' }],
});
const IN_PROGRESS = problem(409, {
  type: 'https://slice-snapshots.dev/problems/conflict',
  code: 'POLICY_RUN_IN_PROGRESS',
  detail: 'snapshot policy pol_1 is running (run run_now)',
});

/** The fake API of a policy page: its runs are whatever `runs()` says at each read. */
function policyApi(runs: () => readonly PolicyRun[], run: () => { status: number; body: unknown }) {
  return fakeApi({
    'GET /v1/slices': SLICES,
    'GET /v1/snapshot-policies': () => onePage([aPolicy()]),
    'GET /v1/snapshot-policies/{id}': () => ok(aPolicy()),
    'POST /v1/snapshot-policies/{id}/simulate': () => ok(aSimulation({ policyId: aPolicy().id })),
    'GET /v1/snapshot-policies/{id}/runs': () => onePage(runs()),
    'POST /v1/snapshot-policies/{id}/run': run,
  });
}

/** The fake API of a policy with no run until Run now starts one; `finishRun` ends that run. */
function apiWhoseRunStarts() {
  let runs: readonly PolicyRun[] = [];
  const api = policyApi(
    () => runs,
    () => {
      runs = [RUNNING];
      return { status: 202, body: RUNNING };
    },
  );
  return {
    ...api,
    finishRun: () => {
      runs = [FINISHED];
    },
  };
}

/** The Run now button: disabled with a reason, it is aria-disabled and keeps its focus. */
function runNowButton() {
  return screen.getByRole('button', { name: 'Run now' });
}

function runsTable() {
  return screen.getByRole('table', { name: 'Runs' });
}

describe('Run now on the policy page', () => {
  beforeEach(() => window.history.replaceState(null, '', `/policies/${aPolicy().id}`));
  afterEach(() => vi.useRealTimers());

  it('begins a run, says so, shows it running with the button disabled, and shows it finished after the next poll', async () => {
    // Only the polling interval is faked, so that the test moves it instead of waiting for it.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const api = apiWhoseRunStarts();
    const user = userEvent.setup();
    renderWithApi(<PolicyPage params={{ id: aPolicy().id }} />, api.fetcher);
    await screen.findByText('No run yet');

    await user.click(runNowButton());

    await screen.findByText('Policy prod hourly is running');
    expect(screen.getByText(/The run began at 2026-03-10 14:00:00 UTC/)).toBeTruthy();
    const run = api.received.find((each) => each.method === 'POST' && each.path.endsWith('/run'));
    expect(run?.path).toBe(`/v1/snapshot-policies/${aPolicy().id}/run`);
    const row = await within(runsTable()).findByRole('row', { name: /2026-03-10 14:00:00 UTC/ });
    expect(row.textContent).toContain('Running');
    expect(row.textContent).toContain('Run now');
    await waitFor(() => expect(runNowButton().getAttribute('aria-disabled')).toBe('true'));

    api.finishRun();
    await vi.advanceTimersByTimeAsync(RUNNING_POLL_MS);

    await within(runsTable()).findByText('2026-03-10 14:00:40 UTC');
    expect(within(runsTable()).queryByText('Running')).toBeNull();
    await waitFor(() => expect(runNowButton().getAttribute('aria-disabled')).toBeNull());
  });

  it('tells a run still going in words that say what to do', async () => {
    const api = policyApi(
      () => [],
      () => IN_PROGRESS,
    );
    const user = userEvent.setup();
    renderWithApi(<PolicyPage params={{ id: aPolicy().id }} />, api.fetcher);
    await screen.findByText('No run yet');

    await user.click(runNowButton());

    await screen.findByText('Policy prod hourly could not run now');
    expect(
      screen.getByText(
        /A run of this policy is still going, and runs of a policy never overlap\. Wait until it has finished .*, then choose Run now again\./,
      ),
    ).toBeTruthy();
  });
});

describe('Run now in the list of policies', () => {
  beforeEach(() => window.history.replaceState(null, '', '/policies'));

  it("runs the row's policy and links to where its run is followed", async () => {
    const api = apiWhoseRunStarts();
    const user = userEvent.setup();
    renderWithApi(<PoliciesPage />, api.fetcher);
    const row = await screen.findByRole('row', { name: /prod hourly/ });
    await within(row).findByText('Never');

    await user.click(screen.getByRole('button', { name: 'Actions for policy prod hourly' }));
    await user.click(screen.getByRole('menuitem', { name: 'Run now' }));

    await screen.findByText('Policy prod hourly is running');
    const follow = screen.getByRole('link', { name: 'Follow its run' });
    expect(follow.getAttribute('href')).toBe(`/policies/${aPolicy().id}`);
    await within(row).findByText(/Running since 2026-03-10 14:00:00 UTC/);
  });

  it('disables Run now in the menu of a policy whose run is going', async () => {
    const api = policyApi(
      () => [RUNNING],
      () => IN_PROGRESS,
    );
    const user = userEvent.setup();
    renderWithApi(<PoliciesPage />, api.fetcher);
    const row = await screen.findByRole('row', { name: /prod hourly/ });
    await within(row).findByText(/Running since/);

    await user.click(screen.getByRole('button', { name: 'Actions for policy prod hourly' }));

    const item = screen.getByRole('menuitem', { name: /Run now/ });
    expect(item.getAttribute('aria-disabled')).toBe('true');
    await user.click(item);
    expect(api.received.some((each) => each.method === 'POST')).toBe(false);
  });
});
