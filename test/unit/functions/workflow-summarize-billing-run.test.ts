import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from './lambda-context.ts';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const ran = { partitions: [3], accounts: 2, unchanged: 0, lines: 2, total: '4.00' };

describe('workflow-summarize-billing-run', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  let handler: Handler;

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.TABLE_NAME = 'table';
    ({ handler } = (await import('../../../functions/workflow-summarize-billing-run.ts')) as {
      handler: Handler;
    });
  });
  beforeEach(() => documents.reset());
  afterAll(() => documents.restore());

  it.each([
    [{ month: '2026-03', status: 'final' }],
    [{ month: '2026-03', status: 'closed', runs: [] }],
    [{ month: '2026-03', status: 'final', runs: [{ ...ran, total: '4' }] }],
    [{ month: '2026-03', status: 'final', runs: [{ ...ran, partitions: [16] }] }],
    [{ month: '2026-03', status: 'final', runs: [{ partitions: [3], error: {} }] }],
  ])('refuses %j before touching the table', async (input) => {
    await expect(handler(input, lambdaContext('workflow-summarize-billing-run'))).rejects.toThrow();

    expect(documents.calls()).toHaveLength(0);
  });

  it('takes the items as the Map hands them over, a caught failure among them', async () => {
    documents.on(GetCommand).resolves({ Item: { partitionsDone: new Set([3]) } });
    const caught = {
      partitions: [5],
      error: { Error: 'BillingRunIncompleteError', Cause: '{"errorMessage":"throttled"}' },
    };

    const summary = await handler(
      { month: '2026-03', status: 'final', runs: [ran, caught] },
      lambdaContext('workflow-summarize-billing-run'),
    );

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
