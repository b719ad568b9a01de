import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../blueprint/facts.ts';
import { apiRequest, bodyOf } from './api-request.ts';
import { mockedApi } from './mocked-api.ts';
import { TABLE } from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const NOW_MICROS = Date.parse(NOW) * 1000;

const getRegions = (accountId: string) =>
  apiRequest({ routeKey: 'GET /v1/regions', path: '/v1/regions', pathParameters: {}, accountId });

describe('the per-account request limit', () => {
  const { documents, handler } = mockedApi('functions/api-list-regions.ts', NOW);
  const saved = { ...process.env };

  beforeAll(() => {
    process.env[ENV.accountRateLimitPerSecond] = '2';
    process.env[ENV.accountRateLimitBurst] = '4';
  });
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(() => {
    // acct-busy's bucket is empty for 1.5 s more; acct-quiet's is full.
    documents.on(UpdateCommand).resolves({ Attributes: { tat: NOW_MICROS + 500_000 } });
    documents
      .on(UpdateCommand, { Key: { pk: 'RATE-LIMIT#account#acct-busy', sk: 'BUCKET' } })
      .rejects(
        new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
          Item: { tat: { N: String(NOW_MICROS + 3_500_000) } },
        }),
      );
  });

  it('answers 429 with Retry-After to an account past its limit', async () => {
    const response = await handler(getRegions('acct-busy'));

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '2',
    });
    expect(bodyOf(response)).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      code: 'RATE_LIMITED',
    });
  });

  it('still serves another account meanwhile', async () => {
    const refused = await handler(getRegions('acct-busy'));

    const response = await handler(getRegions('acct-quiet'));

    expect(refused.statusCode).toBe(429);
    expect(response.statusCode).toBe(200);
    expect(documents.commandCalls(UpdateCommand).at(-1)?.args[0].input).toMatchObject({
      TableName: TABLE,
      Key: { pk: 'RATE-LIMIT#account#acct-quiet', sk: 'BUCKET' },
      ConditionExpression: 'attribute_not_exists(#tat) OR #tat <= :now',
    });
  });
});
