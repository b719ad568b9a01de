import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import RecycleBinPage, {
  purgeText,
} from '../../console/src/pages/recycle-bin/recycle-bin-page.tsx';
import { fakeApi, ok, onePage, renderWithApi } from './support/fake-api.tsx';
import { anOperation, aSnapshot } from './support/records.ts';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const RECYCLED = aSnapshot({
  status: 'recycled',
  purgeAt: '2026-03-17T11:30:00.000Z',
  monthlyCost: { amount: '0.00', currency: 'USD' },
});
const SETTINGS = { status: 200, body: { recycleBinDays: 7 } };

describe('RecycleBinPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    window.history.replaceState(null, '', '/recycle-bin');
  });
  afterEach(() => vi.useRealTimers());

  it('lists the recycled snapshots with when each is deleted for good, and the bin’s days', async () => {
    const api = fakeApi({
      'GET /v1/settings': () => SETTINGS,
      'GET /v1/snapshots': () => onePage([RECYCLED]),
    });
    renderWithApi(<RecycleBinPage />, api.fetcher);

    const row = await screen.findByRole('row', { name: /nightly/ });
    expect(row.textContent).toContain('2026-03-17 11:30:00 UTC');
    expect(row.textContent).toContain('in 6 days 23 h');
    await screen.findByText(/wait here for 7 days, not billed/);
    const list = api.received.find((each) => each.path === '/v1/snapshots');
    expect(list?.query.get('status')).toBe('recycled');
  });

  it('recovers a snapshot and reads the bin again', async () => {
    let recovered = false;
    const api = fakeApi({
      'GET /v1/settings': () => SETTINGS,
      'GET /v1/snapshots': () => onePage(recovered ? [] : [RECYCLED]),
      'POST /v1/snapshots/{id}/recover': () => {
        recovered = true;
        return { status: 200, body: aSnapshot() };
      },
    });
    const user = userEvent.setup();
    renderWithApi(<RecycleBinPage />, api.fetcher);

    await user.click(await screen.findByRole('button', { name: 'Actions for snapshot nightly' }));
    await user.click(screen.getByRole('menuitem', { name: 'Recover' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Recover' }));

    await screen.findByText('Snapshot nightly is recovered');
    await screen.findByText('The recycle bin is empty');
    const post = api.received.find((each) => each.method === 'POST');
    expect(post?.path).toBe(`/v1/snapshots/${RECYCLED.id}/recover`);
  });

  it('deletes for good only once the name is typed, with purge=true', async () => {
    const api = fakeApi({
      'GET /v1/settings': () => SETTINGS,
      'GET /v1/snapshots': () => onePage([RECYCLED]),
      'DELETE /v1/snapshots/{id}': () => ({
        status: 202,
        body: {
          snapshot: { ...RECYCLED, status: 'deleting' },
          operation: anOperation({ type: 'snapshot.delete' }),
        },
      }),
      'GET /v1/operations/{id}': () => ok(anOperation()),
    });
    const user = userEvent.setup();
    renderWithApi(<RecycleBinPage />, api.fetcher);

    await user.click(await screen.findByRole('button', { name: 'Actions for snapshot nightly' }));
    await user.click(screen.getByRole('menuitem', { name: 'Delete for good' }));
    const purge = await screen.findByRole('button', { name: 'Delete for good' });
    await user.type(screen.getByLabelText('Type nightly to confirm'), 'nightl');
    expect(purge.hasAttribute('disabled')).toBe(true);
    await user.type(screen.getByLabelText('Type nightly to confirm'), 'y');
    await user.click(purge);

    await screen.findByText('Deleting snapshot nightly for good');
    const sent = api.received.find((each) => each.method === 'DELETE');
    expect(sent?.query.get('purge')).toBe('true');
    expect(sent?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('changes how many days the bin keeps a snapshot, refusing what the API would', async () => {
    const api = fakeApi({
      'GET /v1/settings': () => SETTINGS,
      'PATCH /v1/settings': ({ body }) => ({ status: 200, body }),
      'GET /v1/snapshots': () => onePage([]),
    });
    const user = userEvent.setup();
    renderWithApi(<RecycleBinPage />, api.fetcher);

    await screen.findByText(/wait here for 7 days/);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const field = screen.getByLabelText('Days a deleted snapshot is kept');
    const save = screen.getByRole('button', { name: 'Save' });
    await user.clear(field);
    await user.type(field, '15');
    expect(save.hasAttribute('disabled')).toBe(true);
    await user.clear(field);
    await user.type(field, '14');
    await user.click(save);

    await screen.findByText('Deleted snapshots are kept 14 days in the recycle bin');
    await waitFor(() => expect(screen.getByText(/wait here for 14 days/)).toBeTruthy());
    const sent = api.received.find((each) => each.method === 'PATCH');
    expect(sent?.body).toEqual({ recycleBinDays: 14 });
  });
});

describe('purgeText', () => {
  it('says how long is left, and why a protected one stays past its time', () => {
    const purgeAt = '2026-03-10T14:05:00.000Z';
    expect(purgeText({ purgeAt, protected: false }, NOW)).toBe('in 2 h 5 min');
    const later = Date.parse(purgeAt) + 1;
    expect(purgeText({ purgeAt, protected: false }, later)).toBe('any moment now');
    expect(purgeText({ purgeAt, protected: true }, later)).toBe('kept while protected');
  });
});
