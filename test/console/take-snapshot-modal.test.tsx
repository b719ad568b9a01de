import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TakeSnapshotModal } from '../../console/src/pages/slices/take-snapshot-modal.tsx';
import { fakeApi, ok, problem, type Received, renderWithApi } from './support/fake-api.tsx';
import { addFirstLabel } from './support/key-values.ts';
import { anOperation, aSlice, aSnapshot } from './support/records.ts';

/** The quote of a host that has measured nothing yet, for 1 GiB of data, 64 MiB of it new. */
function aQuote(request: Received) {
  const powerOff = request.query.get('powerOff') === 'true';
  return {
    sizeBytes: 1024 ** 3,
    monthlyCost: { amount: '0.05', currency: 'USD' },
    newBytes: 64 * 1024 ** 2,
    durationSeconds: 222,
    downtimeSeconds: powerOff ? 189 : 0,
  };
}

const quoted = (request: Received) => ok(aQuote(request));

const accepted = () => ({
  status: 202,
  body: { snapshot: aSnapshot({ status: 'pending' }), operation: anOperation() },
});

describe('TakeSnapshotModal', () => {
  it('advises powering off first, chosen by default, and shows the quote for it before confirming', async () => {
    const api = fakeApi({ 'GET /v1/slices/{id}/snapshot-quote': quoted });
    renderWithApi(
      <TakeSnapshotModal slices={[aSlice()]} sliceId={aSlice().id} onDismiss={() => {}} />,
      api.fetcher,
    );

    expect(screen.getByText(/it is recommended that you power off your slice/)).toBeTruthy();
    const powerOff = screen.getByRole('radio', { name: /Power off first \(recommended\)/ });
    expect((powerOff as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText(/Asking the slice's host/)).toBeTruthy();
    await screen.findByText('1.00 GiB');
    expect(screen.getByText('$0.05')).toBeTruthy();
    expect(screen.getByText('About 3 min 42 s')).toBeTruthy();
    expect(screen.getByText('About 3 min 9 s powered off')).toBeTruthy();
    expect(screen.getByText(/About 64\.0 MiB new since the last snapshot/)).toBeTruthy();
    const asked = api.received.filter((each) => each.path.endsWith('/snapshot-quote'));
    expect(asked.map((each) => each.query.get('powerOff'))).toEqual(['true']);
    expect(api.received.some((each) => each.method === 'POST')).toBe(false);
  });

  it('asks for the quote again when the slice is to keep running, and shows no downtime', async () => {
    const api = fakeApi({ 'GET /v1/slices/{id}/snapshot-quote': quoted });
    const user = userEvent.setup();
    renderWithApi(
      <TakeSnapshotModal slices={[aSlice()]} sliceId={aSlice().id} onDismiss={() => {}} />,
      api.fetcher,
    );
    await screen.findByText('About 3 min 9 s powered off');

    await user.click(screen.getByRole('radio', { name: /Keep the slice running/ }));

    await screen.findByText('None: the slice keeps running');
    expect(screen.queryByText(/powered off$/)).toBeNull();
    const asked = api.received.filter((each) => each.path.endsWith('/snapshot-quote'));
    expect(asked.map((each) => each.query.get('powerOff'))).toEqual(['true', 'false']);
  });

  it('leaves out the new bytes where the host does not track changed blocks', async () => {
    const api = fakeApi({
      'GET /v1/slices/{id}/snapshot-quote': (request) => ({
        ...quoted(request),
        body: { ...aQuote(request), newBytes: null },
      }),
    });
    renderWithApi(
      <TakeSnapshotModal slices={[aSlice()]} sliceId={aSlice().id} onDismiss={() => {}} />,
      api.fetcher,
    );

    await screen.findByText('1.00 GiB');
    expect(screen.queryByText(/new since the last snapshot/)).toBeNull();
  });

  it('says when there is no quote, shows the estimate instead and still creates the snapshot', async () => {
    const api = fakeApi({
      'GET /v1/slices/{id}/snapshot-quote': () =>
        problem(502, { code: 'AGENT_UNREACHABLE', detail: 'host fra1-h1 did not answer' }),
      'POST /v1/slices/{id}/snapshots': accepted,
    });
    const user = userEvent.setup();
    let dismissed = false;
    renderWithApi(
      <TakeSnapshotModal
        slices={[aSlice()]}
        sliceId={aSlice().id}
        onDismiss={() => (dismissed = true)}
      />,
      api.fetcher,
    );

    await screen.findByText('No quote for this snapshot');
    expect(screen.getByText(/You can still create it/)).toBeTruthy();
    expect(screen.getByText('40.00 GiB')).toBeTruthy();
    expect(screen.getByText('$2.00 (at $0.05 per GiB-month)')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(dismissed).toBe(true));
    expect(api.received.find((each) => each.method === 'POST')?.body).toEqual({ powerOff: true });
  });

  it('takes a crash-consistent snapshot of the running slice when asked, under the given name', async () => {
    const api = fakeApi({
      'POST /v1/slices/{id}/snapshots': accepted,
      'GET /v1/operations/{id}': () => ok(anOperation()),
    });
    const user = userEvent.setup();
    let dismissed = false;
    renderWithApi(
      <TakeSnapshotModal slices={[aSlice()]} onDismiss={() => (dismissed = true)} />,
      api.fetcher,
    );

    await user.type(screen.getByLabelText('Snapshot name'), ' before-upgrade ');
    await user.click(screen.getByRole('radio', { name: /Keep the slice running/ }));
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(dismissed).toBe(true));
    const sent = api.received.find((each) => each.method === 'POST');
    expect(sent?.path).toBe(`/v1/slices/${aSlice().id}/snapshots`);
    expect(sent?.body).toEqual({ name: 'before-upgrade', powerOff: false });
    expect(sent?.headers.get('idempotency-key')).toBeTruthy();
  });

  it('leaves the name to the API when none is typed', async () => {
    const api = fakeApi({ 'POST /v1/slices/{id}/snapshots': accepted });
    const user = userEvent.setup();
    renderWithApi(<TakeSnapshotModal slices={[aSlice()]} onDismiss={() => {}} />, api.fetcher);

    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() =>
      expect(api.received.find((each) => each.method === 'POST')?.body).toEqual({ powerOff: true }),
    );
  });

  it('names the field the API refused, by its label', async () => {
    const api = fakeApi({
      'POST /v1/slices/{id}/snapshots': () =>
        problem(400, {
          detail: 'Invalid body',
          errors: [{ path: 'body.name', message: 'must be at most 255 characters' }],
        }),
    });
    const user = userEvent.setup();
    renderWithApi(<TakeSnapshotModal slices={[aSlice()]} onDismiss={() => {}} />, api.fetcher);

    await user.click(screen.getByRole('button', { name: 'Create' }));

    await screen.findByText('Snapshot name: must be at most 255 characters');
    expect(screen.getByText('Some of what was entered is not accepted.')).toBeTruthy();
  });

  it('puts the labels added in the dialog on the snapshot', async () => {
    const api = fakeApi({ 'POST /v1/slices/{id}/snapshots': accepted });
    const user = userEvent.setup();
    renderWithApi(<TakeSnapshotModal slices={[aSlice()]} onDismiss={() => {}} />, api.fetcher);

    await addFirstLabel(user, 'env', 'prod');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() =>
      expect(api.received.find((each) => each.method === 'POST')?.body).toEqual({
        powerOff: true,
        labels: { env: 'prod' },
      }),
    );
  });

  it('refuses to create while a label is not one the API accepts', async () => {
    const api = fakeApi({ 'POST /v1/slices/{id}/snapshots': accepted });
    const user = userEvent.setup();
    renderWithApi(<TakeSnapshotModal slices={[aSlice()]} onDismiss={() => {}} />, api.fetcher);

    await addFirstLabel(user, 'Env');

    expect(screen.getByText(/starting and ending with a letter or digit/)).toBeTruthy();
    const create = screen.getByRole('button', { name: 'Create' });
    expect(create.hasAttribute('disabled') || create.getAttribute('aria-disabled') === 'true').toBe(
      true,
    );
    await user.click(create);
    expect(api.received.filter((each) => each.method === 'POST')).toEqual([]);
  });
});
