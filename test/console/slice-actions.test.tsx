import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  DeleteSliceModal,
  SliceLabelsModal,
  SliceProtectionModal,
} from '../../console/src/pages/slices/slice-actions.tsx';
import { fakeApi, ok, renderWithApi } from './support/fake-api.tsx';
import { addFirstLabel } from './support/key-values.ts';
import { aSlice } from './support/records.ts';

describe('a slice’s delete protection', () => {
  it('turns it on with a PATCH of deleteProtected', async () => {
    const api = fakeApi({
      'PATCH /v1/slices/{id}': () => ok(aSlice({ deleteProtected: true })),
    });
    const user = userEvent.setup();
    renderWithApi(<SliceProtectionModal slice={aSlice()} onDismiss={() => {}} />, api.fetcher);

    expect(screen.getByText(/the slice cannot be deleted; it can still be powered/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Turn on delete protection' }));

    await screen.findByText('Slice web-1 has delete protection on');
    await waitFor(() =>
      expect(api.received.find((each) => each.method === 'PATCH')?.body).toEqual({
        deleteProtected: true,
      }),
    );
  });

  it('tells why a protected slice is not deleted, and what to do', async () => {
    const api = fakeApi({
      'DELETE /v1/slices/{id}': () => ({
        status: 409,
        body: { status: 409, code: 'SLICE_DELETE_PROTECTED', detail: 'delete protection is on' },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(
      <DeleteSliceModal slice={aSlice({ deleteProtected: true })} onDismiss={() => {}} />,
      api.fetcher,
    );

    await user.click(screen.getByRole('button', { name: 'Delete' }));

    await screen.findByText('The slice has delete protection on, so it cannot be deleted.');
    expect(
      screen.getByText(/choose Turn off delete protection in its actions menu first/),
    ).toBeTruthy();
  });
});

describe('a slice’s labels', () => {
  it('sends the changes as a merge: a new value, and null for a removed key', async () => {
    const api = fakeApi({
      'PATCH /v1/slices/{id}': () => ok(aSlice({ labels: { env: 'prod' } })),
    });
    const user = userEvent.setup();
    renderWithApi(
      <SliceLabelsModal slice={aSlice({ labels: { role: 'db' } })} onDismiss={() => {}} />,
      api.fetcher,
    );

    await user.click(screen.getByRole('button', { name: 'Remove' }));
    await addFirstLabel(user, 'env', 'prod');
    await user.click(screen.getByRole('button', { name: 'Save labels' }));

    await screen.findByText('Labels of web-1 saved');
    const sent = api.received.find((each) => each.method === 'PATCH');
    expect(sent?.path).toBe(`/v1/slices/${aSlice().id}`);
    expect(sent?.body).toEqual({ labels: { env: 'prod', role: null } });
  });
});
