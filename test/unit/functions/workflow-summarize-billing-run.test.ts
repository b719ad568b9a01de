import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { billingEnvironment, loadedHandler, mockedDocuments } from './loaded-handler.ts';

const ran = { partitions: [3], accounts: 2, unchanged: 0, lines: 2, total: '4.00' };

describe('workflow-summarize-billing-run', () => {
  const documents = mockedDocuments();
  const handler = loadedHandler('functions/workflow-summarize-billing-run.ts', billingEnvironment);

  it.each([
    [{ month: '2026-03', status: 'final' }],
    [{ month: '2026-03', status: 'closed', runs: [] }],
    [{ month: '2026-03', status: 'final', runs: [{ ...ran, total: '4' }] }],
    [{ month: '2026-03', status: 'final', runs: [{ ...ran, partitions: [16] }] }],
    [{ month: '2026-03', status: 'final', runs: [{ partitions: [3], error: {} }] }],
  ])('refuses %j before touching the table', async (input) => {
    await expect(handler(input)).rejects.toThrow();

    expect(documents.calls()).toHaveLength(0);
  });

  it('takes the items as the Map hands them over, a caught failure among them', async () => {
    documents.on(GetCommand).resolves({ Item: { partitionsDone: new Set([3]) } });
    const caught = {
      partitions: [5],
      error: { Error: 'BillingRunIncompleteError', Cause: '{"errorMessage":"throttled"}' },
    };

    const summary = await handler({ month: '2026-03', status: 'final', runs: [ran, caught] });

    expect(summary).toMatchObject({
      partitions: [3, 5],
      accounts: 2,
      total: '4.00',
      monthFinal: false,
      failedPartitions: [5],
      failure: expect.stringContaining('partition(s) 5 failed'),
    });
  });
});
