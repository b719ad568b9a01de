import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import BillingPage from '../../console/src/pages/billing/billing-page.tsx';
import { fakeApi, renderWithApi } from './support/fake-api.tsx';

const LINE = {
  snapshotId: 'snp_1',
  name: 'golden',
  sizeGB: 40,
  from: '2026-02-01T00:00:00.000Z',
  to: '2026-03-01T00:00:00.000Z',
  amount: '2.00',
};

function charges(month: string, status: 'estimate' | 'final', lines = [LINE]) {
  const total = lines.length ? '2.00' : '0.00';
  return { month, status, currency: 'USD', ratePerGBMonth: '0.05', lines, total };
}

describe('BillingPage', () => {
  afterEach(() => vi.useRealTimers());

  it('shows this month as an estimate, then a closed month as final, with lines and total', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-15T12:00:00Z') });
    const api = fakeApi({
      'GET /v1/billing/charges': ({ query }) => ({
        status: 200,
        body:
          query.get('month') === '2026-03'
            ? charges('2026-03', 'estimate', [
                { ...LINE, to: '2026-03-15T12:00:00.000Z', amount: '0.94' },
              ])
            : charges('2026-02', 'final'),
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<BillingPage />, api.fetcher);

    const table = await screen.findByRole('table', { name: 'Charges for March 2026' });
    await within(table).findByText('golden');
    expect(screen.getByText(/Month to date/)).toBeTruthy();
    expect(screen.getByText('Total (estimate): $2.00')).toBeTruthy();
    expect(within(table).getByText('$0.94')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /Month/ }));
    await user.click(await screen.findByRole('option', { name: 'February 2026' }));

    const closed = await screen.findByRole('table', { name: 'Charges for February 2026' });
    await within(closed).findByText('$2.00');
    expect(screen.getByText(/These are the charges billed for February 2026/)).toBeTruthy();
    expect(screen.getByText('Total: $2.00')).toBeTruthy();
    expect(api.received.map((each) => each.query.get('month'))).toEqual(['2026-03', '2026-02']);
  });

  it('says so when the month has no charges', async () => {
    const api = fakeApi({
      'GET /v1/billing/charges': ({ query }) => ({
        status: 200,
        body: charges(query.get('month') ?? '', 'final', []),
      }),
    });
    renderWithApi(<BillingPage />, api.fetcher);

    await screen.findByText(/No snapshot was kept in/);
  });
});
