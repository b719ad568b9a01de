import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUSY_POLL_MS } from '../../console/src/api/queries.ts';
import SnapshotsPage from '../../console/src/pages/snapshots/snapshots-page.tsx';
import { fakeApi, ok, onePage, problem, type Route, renderWithApi } from './support/fake-api.tsx';
import { aCopyingSnapshot, aProgress, aSlice, aSnapshot, REGIONS } from './support/records.ts';

const TWO_REGIONS = ok({ items: REGIONS.slice(0, 2) });
const SLICES = onePage([aSlice()]);

type Snapshot = ReturnType<typeof aSnapshot>;

/**
 * The snapshots page over an API of two regions and one slice whose snapshot list answers as
 * `list` does; answers the fake API, which keeps the requests it received.
 */
function renderOverList(list: Route) {
  const api = fakeApi({
    'GET /v1/regions': () => TWO_REGIONS,
    'GET /v1/slices': () => SLICES,
    'GET /v1/snapshots': list,
  });
  renderWithApi(<SnapshotsPage />, api.fetcher);
  return api;
}

/** The requests the page made for the snapshot list, in order. */
function listRequests(api: ReturnType<typeof fakeApi>) {
  return api.received.filter((each) => each.path === '/v1/snapshots');
}

/**
 * The snapshots page over an API whose list answers `first` on the first read and `then` on
 * every later one; `reads` counts the list's reads.
 */
function renderListThatChanges(first: Snapshot[], then: Snapshot[]) {
  const counter = { reads: 0 };
  renderOverList(() => {
    counter.reads += 1;
    return onePage(counter.reads === 1 ? first : then);
  });
  return counter;
}

/**
 * Stops the clock at `at` until a test moves it, so that a timer shows exactly what it computes;
 * only Date is faked, and the page's own ticking and polling run on real timers. Answers `at` in
 * milliseconds.
 */
function stopClockAt(at: string): number {
  const now = new Date(at).getTime();
  vi.useFakeTimers({ toFake: ['Date'], now });
  return now;
}

function snapshotsTable() {
  return screen.getByRole('table', { name: 'Snapshots' });
}

describe('SnapshotsPage', () => {
  beforeEach(() => window.history.replaceState(null, '', '/snapshots'));
  afterEach(() => vi.useRealTimers());

  it('shows a running snapshot’s progress and timer, and turns it Available by itself', async () => {
    const start = stopClockAt('2026-03-02T08:30:12.000Z');
    const running = aSnapshot({
      status: 'uploading',
      sizeBytes: 0,
      durationSeconds: null,
      progress: aProgress({
        percent: 45,
        bytesDone: 1,
        bytesTotal: 2,
        elapsedSeconds: 12,
        etaSeconds: 15,
      }),
    });
    const list = renderListThatChanges([running], [aSnapshot()]);

    const row = await screen.findByRole('row', { name: /nightly/ });
    expect(within(row).getByRole('progressbar')).toBeTruthy();
    expect(row.textContent).toMatch(/0:12 elapsed, about 0:15 left/);
    expect(row.textContent).toContain('—');
    vi.setSystemTime(start + 1_000);
    await waitFor(() => expect(row.textContent).toMatch(/0:13 elapsed, about 0:14 left/));

    await waitFor(
      () => expect(screen.getByRole('row', { name: /nightly/ }).textContent).toContain('Available'),
      { timeout: BUSY_POLL_MS * 3 },
    );
    expect(list.reads).toBe(2);
    const settled = screen.getByRole('row', { name: /nightly/ });
    expect(within(settled).queryByRole('progressbar')).toBeNull();
    expect(settled.textContent).toContain('40.00 GiB');
    expect(settled.textContent).toContain('1 min 12 s');
    expect(settled.textContent).toContain('2026-03-02 08:30:00 UTC');
  });

  it('shows a copy as Copying with its percent and time left, and turns it Available by itself', async () => {
    stopClockAt('2026-03-02T09:00:10.000Z');
    const copying = aCopyingSnapshot({
      name: 'nightly-offsite',
      sizeBytes: 0,
      durationSeconds: null,
      progress: aProgress({
        percent: 30,
        bytesDone: 3,
        bytesTotal: 10,
        elapsedSeconds: 10,
        etaSeconds: 20,
      }),
    });
    const list = renderListThatChanges(
      [copying, aSnapshot()],
      [{ ...copying, status: 'available' }, aSnapshot()],
    );

    const row = await screen.findByRole('row', { name: /nightly-offsite/ });
    const bar = within(row).getByRole('progressbar', { name: 'nightly-offsite: Copying' });
    expect((bar as HTMLProgressElement).value).toBe(30);
    expect(row.textContent).toContain('Copying');
    expect(row.textContent).toContain('30%');
    expect(row.textContent).toMatch(/0:10 elapsed, about 0:20 left/);

    await waitFor(
      () =>
        expect(screen.getByRole('row', { name: /nightly-offsite/ }).textContent).toContain(
          'Available',
        ),
      { timeout: BUSY_POLL_MS * 3 },
    );
    expect(list.reads).toBe(2);
    expect(
      within(screen.getByRole('row', { name: /nightly-offsite/ })).queryByRole('progressbar'),
    ).toBeNull();
  });

  it('opens Copy to region from an available snapshot’s actions menu', async () => {
    const list = [aSnapshot()];
    const user = userEvent.setup();
    renderListThatChanges(list, list);
    await screen.findByRole('row', { name: /nightly/ });

    await user.click(screen.getByRole('button', { name: 'Actions for snapshot nightly' }));
    await user.click(screen.getByRole('menuitem', { name: 'Copy to region' }));

    const dialog = await screen.findByRole('dialog', { name: 'Copy nightly to another region' });
    await within(dialog).findByText('New York 1');
  });

  it('pages on the server: the next page asks for the cursor the first answered', async () => {
    const user = userEvent.setup();
    const api = renderOverList(({ query }) =>
      query.get('cursor') === 'page-2'
        ? onePage([aSnapshot({ id: 'snp_2', name: 'older' })])
        : ok({ items: [aSnapshot()], nextCursor: 'page-2' }),
    );

    await within(await screen.findByRole('table', { name: 'Snapshots' })).findByText('nightly');
    await user.click(await screen.findByRole('button', { name: 'Next page' }));

    await within(snapshotsTable()).findByText('older');
    const lists = listRequests(api);
    expect(lists[0]?.query.get('limit')).toBe('25');
    expect(lists[0]?.query.get('cursor')).toBeNull();
    expect(lists.at(-1)?.query.get('cursor')).toBe('page-2');
  });

  it('filters by region on the server, back on the first page, and keeps it in the address', async () => {
    const user = userEvent.setup();
    const api = renderOverList(({ query }) =>
      onePage(query.get('region') === 'nyc1' ? [] : [aSnapshot()]),
    );
    await within(await screen.findByRole('table', { name: 'Snapshots' })).findByText('nightly');

    await user.click(screen.getByRole('button', { name: /Region/ }));
    await user.click(await screen.findByRole('option', { name: /New York 1/ }));

    await screen.findByText('No snapshot matches these filters.');
    expect(window.location.search).toBe('?region=nyc1');
    const last = listRequests(api).at(-1);
    expect(last?.query.get('region')).toBe('nyc1');
    expect(last?.query.get('cursor')).toBeNull();
  });

  it('offers only what a snapshot’s state allows in its actions menu', async () => {
    const list = [
      aSnapshot({ status: 'failed', error: { code: 'AGENT_UNREACHABLE', message: 'x' } }),
    ];
    const user = userEvent.setup();
    renderListThatChanges(list, list);

    await screen.findByText("The slice's host could not be reached.");
    await user.click(screen.getByRole('button', { name: 'Actions for snapshot nightly' }));

    const disabled = (name: string) =>
      screen.getByRole('menuitem', { name }).getAttribute('aria-disabled') === 'true';
    expect(disabled('Create slice')).toBe(true);
    expect(disabled('Restore slice')).toBe(true);
    expect(disabled('Copy to region')).toBe(true);
    expect(disabled('Rename')).toBe(false);
    expect(disabled('Delete')).toBe(false);
  });

  it('marks a corrupt snapshot in its status, refuses its restores, and links each name to its page', async () => {
    const list = [
      aSnapshot({ id: 'snp_damaged', name: 'damaged', verifyState: 'corrupt' }),
      aSnapshot({ id: 'snp_whole', name: 'whole', verifyState: 'ok' }),
    ];
    const user = userEvent.setup();
    renderListThatChanges(list, list);

    const damaged = await screen.findByRole('row', { name: /damaged/ });
    const whole = screen.getByRole('row', { name: /whole/ });
    expect(damaged.textContent).toContain('Corrupt: restores refused');
    expect(whole.textContent).not.toContain('Corrupt');
    expect(within(damaged).getByRole('link', { name: 'damaged' }).getAttribute('href')).toBe(
      '/snapshots/snp_damaged',
    );
    expect(within(whole).getByRole('link', { name: 'whole' }).getAttribute('href')).toBe(
      '/snapshots/snp_whole',
    );
    await user.click(screen.getByRole('button', { name: 'Actions for snapshot damaged' }));
    const restore = screen.getByRole('menuitem', { name: /^Restore slice/ });
    expect(restore.getAttribute('aria-disabled')).toBe('true');
    expect(
      screen.getByRole('menuitem', { name: /^Create slice/ }).getAttribute('aria-disabled'),
    ).toBe('true');
    expect(document.body.textContent).toContain('part of its image damaged');
  });
});

describe('SnapshotsPage labels and protection', () => {
  beforeEach(() => window.history.replaceState(null, '', '/snapshots'));

  it('shows labels and protection, and filters by a label selector kept in the address', async () => {
    const user = userEvent.setup();
    const api = renderOverList(({ query }) =>
      query.get('labelSelector') === 'env in prod'
        ? problem(400, {
            code: 'INVALID_LABEL_SELECTOR',
            detail: 'Invalid query',
            errors: [{ path: 'query.labelSelector', message: 'at position 8 ("p")' }],
          })
        : onePage([aSnapshot({ labels: { env: 'prod' }, protected: true })]),
    );

    const row = await screen.findByRole('row', { name: /nightly/ });
    expect(row.textContent).toContain('env=prod');
    expect(within(row).getByRole('img', { name: 'Protected' })).toBeTruthy();
    const filter = screen.getByPlaceholderText('Filter by label selector');
    await user.type(filter, 'env==prod{Enter}');
    await waitFor(() => expect(window.location.search).toBe('?labelSelector=env%3D%3Dprod'));
    await waitFor(() =>
      expect(listRequests(api).at(-1)?.query.get('labelSelector')).toBe('env==prod'),
    );

    await user.clear(filter);
    await user.type(filter, 'env in prod{Enter}');
    await screen.findByText(/The label filter cannot be read\./);
    expect(screen.getByText(/Labels: at position 8/)).toBeTruthy();
  });
});
