import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { snapshotItem } from '../../support/table-items.ts';
import { bodyOf, type Problem, routeRequest } from './api-request.ts';
import { mockedApi } from './mocked-api.ts';
import { aSnapshot } from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';

const listSnapshots = (query: Record<string, string>) =>
  routeRequest('GET /v1/snapshots', { query });

const idOf = (n: number) => `snp_01JNZ5Y1Q00000000000000${String(n).padStart(3, '0')}`;

describe('api-list-snapshots with a label selector', () => {
  const { documents, handler } = mockedApi('functions/api-list-snapshots.ts', NOW);

  beforeEach(() => {
    // Newest first: 9 … 1; the odd ones are labelled env=prod.
    const items = [9, 8, 7, 6, 5, 4, 3, 2, 1].map((n) =>
      snapshotItem(aSnapshot({ id: idOf(n), labels: n % 2 === 1 ? { env: 'prod' } : {} })),
    );
    documents.on(QueryCommand).resolves({ Items: items, ScannedCount: items.length });
    // The page's figures read the account's storage count and usage of the month: none here.
    documents.on(QueryCommand, { IndexName: 'gsi1' }).resolves({ Items: [] });
    documents.on(GetCommand).resolves({});
  });

  it('answers only the selected snapshots, reading the caller’s partition only', async () => {
    const response = await handler(listSnapshots({ labelSelector: 'env==prod', limit: '10' }));

    expect(response.statusCode).toBe(200);
    const page = bodyOf<{ items: { id: string }[]; nextCursor: string | null }>(response);
    expect(page.items.map((item) => item.id)).toEqual([9, 7, 5, 3, 1].map(idOf));
    expect(page.nextCursor).toBeNull();
    expect(documents.commandCalls(ScanCommand)).toEqual([]);
    for (const call of documents.commandCalls(QueryCommand)) {
      expect(call.args[0].input.ExpressionAttributeValues?.[':pk']).toMatch(/^ACCOUNT#acct-1(#|$)/);
    }
  });

  it('refuses a selector it cannot read with a 400 naming the position', async () => {
    const response = await handler(listSnapshots({ labelSelector: 'env==prod,tier in gold' }));

    expect(response.statusCode).toBe(400);
    const problem = bodyOf<Problem>(response);
    expect(problem.code).toBe('INVALID_LABEL_SELECTOR');
    expect(problem.errors).toEqual([
      {
        path: 'query.labelSelector',
        message: 'at position 19 ("g"): expected "(" to open the set of values',
      },
    ]);
    expect(documents.commandCalls(QueryCommand)).toEqual([]);
  });

  it('refuses a selector over 1024 characters', async () => {
    const response = await handler(listSnapshots({ labelSelector: 'a,'.repeat(600) }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<Problem>(response).errors?.[0]?.path).toBe('query.labelSelector');
  });
});
