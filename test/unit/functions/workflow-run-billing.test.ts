import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { loadedHandler } from './loaded-handler.ts';

describe('workflow-run-billing', () => {
  const documents = mockClient(DynamoDBDocumentClient);

  const handler = loadedHandler('functions/workflow-run-billing.ts', () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  });
  afterAll(() => documents.restore());

  it.each([
    [{ month: '2026-13' }],
    [{ month: '2026-3' }],
    [{ mnth: '2026-03' }],
    [{ month: '2026-03', partitions: [16] }],
    [{ month: '2026-03', partitions: [] }],
  ])('refuses %j before touching the table', async (input) => {
    await expect(handler(input)).rejects.toThrow();

    expect(documents.calls()).toHaveLength(0);
  });
});
