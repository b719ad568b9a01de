import { act, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../console/src/api/client.ts';
import { useNotify } from '../../console/src/app/notifications.tsx';
import { fakeApi, ok, renderWithApi } from './support/fake-api.tsx';
import { anOperation } from './support/records.ts';

function Follow(props: { id: string }) {
  const notify = useNotify();
  useEffect(() => {
    notify({
      type: 'info',
      header: 'Restoring web-1',
      operation: {
        id: props.id,
        running: 'Restoring web-1 from nightly',
        succeeded: 'web-1 is restored from nightly',
        failed: 'web-1 could not be restored from nightly',
      },
    });
  }, [notify, props.id]);
  return null;
}

describe('a notice that follows an operation', () => {
  it('shows it running, then how it ended, in words', async () => {
    let current: Operation = anOperation();
    const server = fakeApi({ 'GET /v1/operations/{id}': () => ok(current) });
    renderWithApi(<Follow id={current.id} />, server.fetcher);

    await screen.findByText('Restoring web-1 from nightly');
    expect(screen.getByRole('link', { name: 'View the operation' }).getAttribute('href')).toBe(
      `/operations/${current.id}`,
    );
    await act(async () => {
      current = anOperation({
        status: 'failed',
        finishedAt: '2026-03-02T09:00:05.000Z',
        error: { code: 'HOST_CAPACITY_EXCEEDED', message: 'no memory left on fra1-host-1' },
      });
    });

    await screen.findByText('web-1 could not be restored from nightly', {}, { timeout: 5_000 });
    expect(
      screen.getByText(
        /The slice's host has no memory left to power it on\. Power off another slice/,
      ),
    ).toBeTruthy();
  });
});
