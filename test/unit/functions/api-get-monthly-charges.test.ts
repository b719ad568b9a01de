import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../blueprint/facts.ts';
import { handler } from '../../../functions/api-get-monthly-charges.ts';
import { lambdaContext } from './lambda-context.ts';

function request(query: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: 'GET /v1/billing/charges',
    rawPath: '/v1/billing/charges',
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    queryStringParameters: query,
    requestContext: {
      authorizer: {
        jwt: { claims: { 'custom:account': 'acct-1' }, scopes: [] },
        principalId: '',
        integrationLatency: 0,
      },
    },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe('api-get-monthly-charges', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  const saved = process.env[ENV.accountRateLimitPerSecond];
  // The account's request limit (its own table write) is off: this is about the route's reads.
  beforeAll(() => {
    process.env[ENV.accountRateLimitPerSecond] = '0';
  });
  afterAll(() => {
    documents.restore();
    if (saved === undefined) delete process.env[ENV.accountRateLimitPerSecond];
    else process.env[ENV.accountRateLimitPerSecond] = saved;
  });

  it.each<Record<string, string>>([
    { month: '2026-13' },
    { month: 'march' },
    { month: '2026-03', account: 'acct-2' },
  ])('answers 400 naming the bad query field for %j, before touching the table', async (query) => {
    const response = await handler(request(query), lambdaContext('api-get-monthly-charges'));

    expect(response).toMatchObject({ statusCode: 400 });
    const body = JSON.parse(String((response as { body?: string }).body)) as {
      errors: { path: string }[];
    };
    expect(body.errors[0]?.path).toMatch(/^query\.(month|account)$/);
    expect(documents.calls()).toHaveLength(0);
  });
});
