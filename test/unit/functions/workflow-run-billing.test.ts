import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from './lambda-context.ts';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

describe('workflow-run-billing', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  let handler: Handler;

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    // Imported once the level is set: the logger reads it when it is created.
    ({ handler } = (await import('../../../functions/workflow-run-billing.ts')) as {
      handler: Handler;
    });
  });
  afterAll(() => documents.restore());

  it.each([
    [{ month: '2026-13' }],
    [{ month: '2026-3' }],
    [{ mnth: '2026-03' }],
    [{ month: '2026-03', partitions: [16] }],
    [{ month: '2026-03', partitions: [] }],
  ])('refuses %j before touching the table', async (input) => {
    await expect(handler(input, lambdaContext('workflow-run-billing'))).rejects.toThrow();

    expect(documents.calls()).toHaveLength(0);
  });
});
