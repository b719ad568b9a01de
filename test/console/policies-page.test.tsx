import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import PoliciesPage from '../../console/src/pages/policies/policies-page.tsx';
import PolicyPage from '../../console/src/pages/policies/policy-page.tsx';
import { fakeApi, ok, onePage, renderWithApi } from './support/fake-api.tsx';
import { aPolicy, aPolicyRun, aSimulation, aSlice } from './support/records.ts';

const SLICES = () => onePage([aSlice()]);

describe('PoliciesPage', () => {
  beforeEach(() => window.history.replaceState(null, '', '/policies'));

  it('lists each policy with its schedule, target and rules in words, and its next and last run', async () => {
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'GET /v1/snapshot-policies': () => onePage([aPolicy()]),
      'GET /v1/snapshot-policies/{id}/runs': () => onePage([aPolicyRun()]),
    });
    renderWithApi(<PoliciesPage />, api.fetcher);

    const row = await screen.findByRole('row', { name: /prod hourly/ });
    await within(row).findByText('2026-03-10 12:00:00 UTC');
    expect(row.textContent).toContain('Enabled');
    expect(row.textContent).toContain('Every hour at minute 0');
    expect(row.textContent).toContain('web-1');
    expect(row.textContent).toContain('last 3, 7 daily, 4 weekly');
    expect(row.textContent).toContain('2026-03-10 13:00:00 UTC');
  });

  it('disables a policy in place from its row', async () => {
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'GET /v1/snapshot-policies': () => onePage([aPolicy()]),
      'GET /v1/snapshot-policies/{id}/runs': () => onePage([]),
      'PATCH /v1/snapshot-policies/{id}': () => ({
        status: 200,
        body: aPolicy({ enabled: false, nextRunAt: null }),
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<PoliciesPage />, api.fetcher);

    await user.click(await screen.findByRole('button', { name: 'Actions for policy prod hourly' }));
    await user.click(screen.getByRole('menuitem', { name: 'Disable' }));

    await screen.findByText(/Policy prod hourly is disabled/);
    const patch = api.received.find((each) => each.method === 'PATCH');
    expect(patch?.path).toBe(`/v1/snapshot-policies/${aPolicy().id}`);
    expect(patch?.body).toEqual({ enabled: false });
  });

  it('deletes a policy after a confirmation that says its snapshots stay', async () => {
    let deleted = false;
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'GET /v1/snapshot-policies': () => onePage(deleted ? [] : [aPolicy()]),
      'GET /v1/snapshot-policies/{id}/runs': () => onePage([]),
      'DELETE /v1/snapshot-policies/{id}': () => {
        deleted = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    renderWithApi(<PoliciesPage />, api.fetcher);

    await user.click(await screen.findByRole('button', { name: 'Actions for policy prod hourly' }));
    await user.click(screen.getByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('The snapshots it took stay');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    await screen.findByText('Policy prod hourly is deleted; its snapshots stay');
    await waitFor(() => expect(screen.queryByRole('row', { name: /prod hourly/ })).toBeNull());
  });
});

describe('PolicyPage', () => {
  it('shows the simulation of the saved policy and its runs, with why a slice was skipped', async () => {
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'GET /v1/snapshot-policies/{id}': () => ok(aPolicy()),
      'POST /v1/snapshot-policies/{id}/simulate': () => ok(aSimulation({ policyId: aPolicy().id })),
      'GET /v1/snapshot-policies/{id}/runs': () => ({
        status: 200,
        body: {
          items: [
            aPolicyRun({
              taken: [],
              pruned: ['snp_a', 'snp_b'],
              skipped: [{ sliceId: aSlice().id, reason: 'slice-busy' }],
            }),
          ],
          nextCursor: null,
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<PolicyPage params={{ id: aPolicy().id }} />, api.fetcher);

    await screen.findByRole('table', { name: 'Now, web-1' });
    const simulate = api.received.find((each) => each.path.endsWith('/simulate'));
    expect(simulate?.body).toEqual({ days: 30 });
    const runs = await screen.findByRole('table', { name: 'Runs' });
    const row = await within(runs).findByRole('row', { name: /2026-03-10 12:00:00 UTC/ });
    expect(row.textContent).toContain('2026-03-10 12:01:30 UTC');
    expect(row.textContent).toContain('web-1: the slice stayed busy with another operation');
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toContain('2');

    await user.clear(screen.getByLabelText('Days to look ahead'));
    await user.type(screen.getByLabelText('Days to look ahead'), '90');
    await user.click(screen.getByRole('button', { name: 'Simulate' }));
    await waitFor(() =>
      expect(
        api.received.filter((each) => each.path.endsWith('/simulate')).map((each) => each.body),
      ).toContainEqual({ days: 90 }),
    );
  });
});
