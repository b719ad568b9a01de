import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import CreatePolicyPage from '../../console/src/pages/policies/create-policy-page.tsx';
import EditPolicyPage from '../../console/src/pages/policies/edit-policy-page.tsx';
import { fakeApi, ok, onePage, problem, renderWithApi } from './support/fake-api.tsx';
import { addFirstLabel } from './support/key-values.ts';
import { aPolicy, aSimulation, aSlice } from './support/records.ts';

const SLICES = () => onePage([aSlice()]);

async function chooseSlice(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole('button', { name: /Choose slices/ }));
  await user.click(await screen.findByRole('option', { name: new RegExp(name) }));
}

describe('CreatePolicyPage', () => {
  beforeEach(() => window.history.replaceState(null, '', '/policies/create'));

  it('shows what is wrong beside each field on submit, and sends nothing', async () => {
    const api = fakeApi({ 'GET /v1/slices': SLICES });
    const user = userEvent.setup();
    renderWithApi(<CreatePolicyPage />, api.fetcher);

    await user.clear(screen.getByLabelText('Last'));
    await user.click(screen.getByRole('button', { name: 'Create policy' }));

    expect(await screen.findByText('Enter a name.')).toBeTruthy();
    expect(screen.getByText('Choose at least one slice.')).toBeTruthy();
    expect(
      screen.getByText('Keep at least one snapshot: give one rule a number above 0.'),
    ).toBeTruthy();
    expect(api.received.filter((each) => each.method === 'POST')).toEqual([]);
  });

  it('previews the policy as typed, over the days asked for, before creating it', async () => {
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'POST /v1/snapshot-policies/simulate': () => ok(aSimulation()),
    });
    const user = userEvent.setup();
    renderWithApi(<CreatePolicyPage />, api.fetcher);

    await user.type(screen.getByLabelText('Name'), 'nightly');
    await chooseSlice(user, 'web-1');
    await user.clear(screen.getByLabelText('Days to look ahead'));
    await user.type(screen.getByLabelText('Days to look ahead'), '14');
    await user.click(screen.getByRole('button', { name: 'Preview' }));

    await screen.findByRole('table', { name: 'Now, web-1' });
    const sent = api.received.find((each) => each.path === '/v1/snapshot-policies/simulate');
    expect(sent?.body).toEqual({
      name: 'nightly',
      enabled: true,
      schedule: { every: '1d' },
      target: { sliceIds: [aSlice().id] },
      retain: { last: 7 },
      powerOff: false,
      labels: {},
      onSliceDeleted: 'keep',
      days: 14,
    });
    expect(api.received.some((each) => each.path === '/v1/snapshot-policies')).toBe(false);

    await user.type(screen.getByLabelText('Daily'), '7');
    expect(screen.getByText(/The form has changed since this preview/)).toBeTruthy();
  });

  it('refuses days outside 1 to 90 for the preview', async () => {
    const api = fakeApi({ 'GET /v1/slices': SLICES });
    const user = userEvent.setup();
    renderWithApi(<CreatePolicyPage />, api.fetcher);

    await user.clear(screen.getByLabelText('Days to look ahead'));
    await user.type(screen.getByLabelText('Days to look ahead'), '91');

    expect(screen.getByText('A whole number from 1 to 90.')).toBeTruthy();
  });

  it('creates a policy with a cron schedule, a selector and labels, then opens its page', async () => {
    const created = aPolicy({ id: 'pol_new', name: 'weekday nights' });
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'POST /v1/snapshot-policies': () => ({ status: 201, body: created }),
    });
    const user = userEvent.setup();
    renderWithApi(<CreatePolicyPage />, api.fetcher);

    await user.type(screen.getByLabelText('Name'), 'weekday nights');
    await user.click(screen.getByRole('radio', { name: /On a cron expression/ }));
    await user.type(screen.getByLabelText('Cron expression'), 'cron(15 3 ? * MON-FRI *)');
    await user.click(screen.getByRole('radio', { name: /Slices with labels/ }));
    await user.type(screen.getByLabelText('Label selector'), 'env==prod');
    await user.type(screen.getByLabelText('Monthly'), '6');
    await addFirstLabel(user, 'tier', 'gold');
    await user.click(screen.getByRole('button', { name: 'Create policy' }));

    await waitFor(() => expect(window.location.pathname).toBe('/policies/pol_new'));
    const sent = api.received.find((each) => each.path === '/v1/snapshot-policies');
    expect(sent?.body).toEqual({
      name: 'weekday nights',
      enabled: true,
      schedule: { cron: 'cron(15 3 ? * MON-FRI *)' },
      target: { sliceSelector: 'env==prod' },
      retain: { last: 7, monthly: 6 },
      powerOff: false,
      labels: { tier: 'gold' },
      onSliceDeleted: 'keep',
    });
    await screen.findByText('Policy weekday nights is created');
  });

  it('names the field the API refused, by its label', async () => {
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'POST /v1/snapshot-policies': () =>
        problem(400, {
          code: 'VALIDATION_FAILED',
          detail: 'Invalid body',
          errors: [{ path: 'body.schedule.cron', message: 'fires twice within an hour' }],
        }),
    });
    const user = userEvent.setup();
    renderWithApi(<CreatePolicyPage />, api.fetcher);

    await user.type(screen.getByLabelText('Name'), 'x');
    await chooseSlice(user, 'web-1');
    await user.click(screen.getByRole('button', { name: 'Create policy' }));

    // Cloudscape's form repeats its error in a live region for screen readers.
    const shown = await screen.findAllByText('Cron expression: fires twice within an hour');
    expect(shown.length).toBeGreaterThan(0);
  });
});

describe('EditPolicyPage', () => {
  it('fills the form from the policy and changes it in place', async () => {
    const policy = aPolicy();
    const api = fakeApi({
      'GET /v1/slices': SLICES,
      'GET /v1/snapshot-policies/{id}': () => ok(policy),
      'PATCH /v1/snapshot-policies/{id}': (request) => ({
        status: 200,
        body: { ...policy, ...(request.body as object) },
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<EditPolicyPage params={{ id: policy.id }} />, api.fetcher);

    const name = await screen.findByLabelText('Name');
    expect((name as HTMLInputElement).value).toBe('prod hourly');
    expect((screen.getByLabelText('Weekly') as HTMLInputElement).value).toBe('4');
    const every = screen.getByText('Every hour');
    await user.click(every);
    await user.click(await screen.findByRole('option', { name: 'Every 6 hours' }));
    await user.type(screen.getByLabelText('At (UTC)'), '01:30');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(window.location.pathname).toBe(`/policies/${policy.id}`));
    const sent = api.received.find((each) => each.method === 'PATCH');
    expect(sent?.path).toBe(`/v1/snapshot-policies/${policy.id}`);
    expect(sent?.body).toMatchObject({
      schedule: { every: '6h', at: '01:30' },
      retain: { last: 3, daily: 7, weekly: 4 },
      labels: { tier: 'gold' },
    });
    expect(within(document.body).getByText('Policy prod hourly is saved')).toBeTruthy();
  });
});
