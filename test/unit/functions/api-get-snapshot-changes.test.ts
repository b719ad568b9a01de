import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { bodyOf, type Problem, routeRequest } from './api-request.ts';
import { mockedApi } from './mocked-api.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const SNAPSHOT = 'snp_01JNZ5Y1Q00000000000000001';

const changes = (query: Record<string, string>) =>
  routeRequest('GET /v1/snapshots/{id}/changes', { id: SNAPSHOT, query });

describe('api-get-snapshot-changes', () => {
  const { documents, handler } = mockedApi('functions/api-get-snapshot-changes.ts', NOW);

  it.each([
    ['without a base', {}, 'query.base'],
    [
      'with a base that is no snapshot id',
      { base: 'slc_01JNZ5Y1Q00000000000000001' },
      'query.base',
    ],
    ['with a limit past 100', { base: SNAPSHOT, limit: '101' }, 'query.limit'],
  ])('answers 400 %s, naming the field, and reads nothing', async (_, query, path) => {
    const response = await handler(changes(query));

    expect(response.statusCode).toBe(400);
    const problem = bodyOf<Problem>(response);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((error) => error.path)).toEqual([path]);
    expect(documents.commandCalls(GetCommand)).toEqual([]);
    expect(documents.commandCalls(QueryCommand)).toEqual([]);
  });
});
