import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import OperationPage from '../../console/src/pages/operations/operation-page.tsx';
import { fakeApi, ok, onePage, renderWithApi } from './support/fake-api.tsx';
import { shownUnder } from './support/key-values.ts';
import { anOperation, aSlice } from './support/records.ts';

function renderOperation(operation: ReturnType<typeof anOperation>) {
  const api = fakeApi({
    'GET /v1/operations/{id}': () => ok(operation),
    'GET /v1/slices': () => onePage([aSlice()]),
  });
  renderWithApi(<OperationPage params={{ id: operation.id }} />, api.fetcher);
}

describe('OperationPage', () => {
  it('shows what a copy to another region transfers, once the copy has looked', async () => {
    renderOperation(
      anOperation({ type: 'snapshot.copy', resourceType: 'snapshot', bytesToTransfer: 25165824 }),
    );

    await screen.findByText('To transfer');
    expect(shownUnder('To transfer')).toBe('24.0 MiB');
  });

  it('says when a copy has not looked yet', async () => {
    renderOperation(
      anOperation({ type: 'snapshot.copy', resourceType: 'snapshot', bytesToTransfer: null }),
    );
    await screen.findByText('To transfer');
    expect(shownUnder('To transfer')).toBe('Not known yet');
  });

  it('shows no transfer line for an operation that is not a copy', async () => {
    renderOperation(anOperation({ type: 'snapshot.create', resourceType: 'snapshot' }));

    await screen.findByText('Operation id');
    expect(screen.queryByText('To transfer')).toBeNull();
  });
});
