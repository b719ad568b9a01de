import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CopySnapshotModal } from '../../console/src/pages/snapshots/copy-snapshot-modal.tsx';
import { fakeApi, ok, problem, renderWithApi } from './support/fake-api.tsx';
import { aCopyingSnapshot, anOperation, aSnapshot, REGIONS } from './support/records.ts';

const THREE_REGIONS = ok({ items: REGIONS });
const COPY = aCopyingSnapshot();
const COPY_OPERATION = anOperation({
  id: 'op_copy',
  type: 'snapshot.copy',
  resourceType: 'snapshot',
  resourceId: 'snp_copy',
});

function copyButton() {
  return screen.getByRole('button', { name: 'Copy' });
}

describe('CopySnapshotModal', () => {
  it('offers every served region but the snapshot’s own', async () => {
    const api = fakeApi({ 'GET /v1/regions': () => THREE_REGIONS });
    const user = userEvent.setup();
    renderWithApi(<CopySnapshotModal snapshot={aSnapshot()} onDismiss={() => {}} />, api.fetcher);

    await user.click(await screen.findByRole('button', { name: /Region/ }));

    const options = screen.getAllByRole('option').map((option) => option.textContent);
    expect(options).toHaveLength(2);
    expect(options.some((text) => text?.includes('New York 1'))).toBe(true);
    expect(options.some((text) => text?.includes('Singapore 1'))).toBe(true);
    expect(options.some((text) => text?.includes('Frankfurt 1'))).toBe(false);
  });

  it('copies to the chosen region under a new name, and the notice links to the copy', async () => {
    const api = fakeApi({
      'GET /v1/regions': () => THREE_REGIONS,
      'POST /v1/snapshots/{id}/copy': () => ({
        status: 202,
        body: { snapshot: { ...COPY, name: 'nightly-offsite' }, operation: COPY_OPERATION },
      }),
      'GET /v1/operations/{id}': () => ok(COPY_OPERATION),
    });
    const user = userEvent.setup();
    let dismissed = false;
    renderWithApi(
      <CopySnapshotModal snapshot={aSnapshot()} onDismiss={() => (dismissed = true)} />,
      api.fetcher,
    );
    // With two regions to choose from, nothing is copied until one is chosen.
    await screen.findByText('Choose a region');
    expect(copyButton().hasAttribute('disabled')).toBe(true);

    await user.click(screen.getByRole('button', { name: /Region/ }));
    await user.click(screen.getByRole('option', { name: /Singapore 1/ }));
    const name = screen.getByLabelText(/Name of the copy/);
    expect((name as HTMLInputElement).value).toBe('nightly');
    await user.clear(name);
    await user.type(name, 'nightly-offsite');
    await user.click(copyButton());

    await waitFor(() => expect(api.received.some((each) => each.method === 'POST')).toBe(true));
    const sent = api.received.find((each) => each.method === 'POST');
    expect(sent?.path).toBe(`/v1/snapshots/${aSnapshot().id}/copy`);
    expect(sent?.body).toEqual({ region: 'sgp1', name: 'nightly-offsite' });
    expect(sent?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    await screen.findByText('Copying nightly to Singapore 1');
    const link = screen.getByRole('link', { name: 'Open the copy nightly-offsite in sgp1' });
    expect(link.getAttribute('href')).toBe('/snapshots/snp_copy');
    expect(screen.getByRole('link', { name: 'View the operation' }).getAttribute('href')).toBe(
      '/operations/op_copy',
    );
    expect(dismissed).toBe(true);
  });

  it('sends the region alone when the name is left as the snapshot’s', async () => {
    const api = fakeApi({
      'GET /v1/regions': () => ok({ items: REGIONS.slice(0, 2) }),
      'POST /v1/snapshots/{id}/copy': () => ({
        status: 202,
        body: { snapshot: COPY, operation: COPY_OPERATION },
      }),
      'GET /v1/operations/{id}': () => ok(COPY_OPERATION),
    });
    const user = userEvent.setup();
    renderWithApi(<CopySnapshotModal snapshot={aSnapshot()} onDismiss={() => {}} />, api.fetcher);

    // The only other region is chosen already.
    await screen.findByText('New York 1');
    await user.click(copyButton());

    await waitFor(() =>
      expect(api.received.find((each) => each.method === 'POST')?.body).toEqual({
        region: 'nyc1',
      }),
    );
  });

  it('says in words what to do when the API refuses the copy', async () => {
    const api = fakeApi({
      'GET /v1/regions': () => THREE_REGIONS,
      'POST /v1/snapshots/{id}/copy': () =>
        problem(422, {
          type: 'about:blank',
          code: 'SNAPSHOT_ALREADY_IN_REGION',
          detail: 'snapshot is in nyc1 already',
        }),
    });
    const user = userEvent.setup();
    let dismissed = false;
    renderWithApi(
      <CopySnapshotModal snapshot={aSnapshot()} onDismiss={() => (dismissed = true)} />,
      api.fetcher,
    );
    await user.click(await screen.findByRole('button', { name: /Region/ }));
    await user.click(screen.getByRole('option', { name: /New York 1/ }));

    await user.click(copyButton());

    await screen.findByText(
      'The snapshot is in that region already, so there is nothing to copy there.',
    );
    expect(
      screen.getByText('Choose another region, or use the snapshot where it is.'),
    ).toBeTruthy();
    expect(dismissed).toBe(false);
  });
});
