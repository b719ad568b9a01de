import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RestoreModal } from '../../console/src/pages/snapshots/snapshot-modals.tsx';
import { fakeApi, ok, problem, renderWithApi } from './support/fake-api.tsx';
import { anOperation, aSlice, aSnapshot } from './support/records.ts';

const OWN = aSlice();
const OTHER = aSlice({ id: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K2F', name: 'web-2' });
const SMALL = aSlice({ id: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K3G', name: 'tiny', diskBytes: 1 });

function restoreButton() {
  return screen.getByRole('button', { name: 'Restore' });
}

describe('RestoreModal', () => {
  it('restores only once the slice’s name is typed exactly, with confirm: true', async () => {
    const api = fakeApi({
      'POST /v1/snapshots/{id}/restore': () => ({
        status: 202,
        body: { operation: anOperation() },
      }),
      'GET /v1/operations/{id}': () => ok(anOperation()),
    });
    const user = userEvent.setup();
    renderWithApi(
      <RestoreModal snapshot={aSnapshot()} slices={[OWN, OTHER, SMALL]} onDismiss={() => {}} />,
      api.fetcher,
    );

    expect(screen.getByText(/replaces all data on the slice with the snapshot image/)).toBeTruthy();
    const confirmation = screen.getByLabelText('Type web-1 to confirm');
    await user.type(confirmation, 'web-');
    expect(restoreButton().hasAttribute('disabled')).toBe(true);
    await user.type(confirmation, '1');
    expect(restoreButton().hasAttribute('disabled')).toBe(false);
    await user.click(restoreButton());

    await waitFor(() => expect(api.received.some((each) => each.method === 'POST')).toBe(true));
    const sent = api.received.find((each) => each.method === 'POST');
    expect(sent?.path).toBe(`/v1/snapshots/${aSnapshot().id}/restore`);
    expect(sent?.body).toEqual({ confirm: true });
    expect(sent?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent?.headers.get('authorization')).toBe('Bearer token-of-acct-test');
    await screen.findByText('Restoring web-1 from nightly');
  });

  it('offers only slices of the region with a large enough disk, and names another target', async () => {
    const api = fakeApi({
      'POST /v1/snapshots/{id}/restore': () => ({
        status: 202,
        body: { operation: anOperation() },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(
      <RestoreModal
        snapshot={aSnapshot({ sliceId: 'slc_gone' })}
        slices={[OTHER, SMALL]}
        onDismiss={() => {}}
      />,
      api.fetcher,
    );

    expect(screen.getByText(/taken from is deleted or cannot take it/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: /Slice to restore/ }));
    const options = screen.getAllByRole('option').map((option) => option.textContent);
    expect(options.some((text) => text?.includes('web-2'))).toBe(true);
    expect(options.some((text) => text?.includes('tiny'))).toBe(false);
    await user.click(screen.getByRole('option', { name: /web-2/ }));
    await user.type(screen.getByLabelText('Type web-2 to confirm'), 'web-2');
    await user.click(restoreButton());

    await waitFor(() =>
      expect(api.received.find((each) => each.method === 'POST')?.body).toEqual({
        confirm: true,
        sliceId: OTHER.id,
      }),
    );
  });

  it('says the slice is busy, with what to do and a link to the operation in the way', async () => {
    const busy = 'op_01JD3QY8W7T2B6G0ZC4M9X5K9Z';
    const api = fakeApi({
      'POST /v1/snapshots/{id}/restore': () =>
        problem(409, {
          type: 'about:blank',
          detail: `slice ${OWN.id} is busy with operation ${busy} (slice.power)`,
        }),
    });
    const user = userEvent.setup();
    renderWithApi(
      <RestoreModal snapshot={aSnapshot()} slices={[OWN]} onDismiss={() => {}} />,
      api.fetcher,
    );

    await user.type(screen.getByLabelText('Type web-1 to confirm'), 'web-1');
    await user.click(restoreButton());

    await screen.findByText('The slice is busy with another operation (Power on or off).');
    expect(screen.getByText(/Wait until that operation ends/)).toBeTruthy();
    const link = screen.getByRole('link', { name: 'View the operation in the way' });
    expect(link.getAttribute('href')).toBe(`/operations/${busy}`);
  });
});
