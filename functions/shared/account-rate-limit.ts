import type middy from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { admitAccountRequest } from '../../core/use-cases/admit-account-request.ts';
import { accountOf } from './auth.ts';
import { services } from './services.ts';

/**
 * Spends one of the caller's account tokens before anything else runs (no body parsed, no table
 * read): past the account's limit the request ends in 429 with `Retry-After`, rendered by the
 * error middleware. Every authenticated route shares the account's one bucket.
 */
export const accountRateLimit = (): middy.MiddlewareObj<
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2
> => ({
  before: async (request) => {
    const { ports, accountRateLimit: limit } = await services();
    if (limit === undefined) return;
    await admitAccountRequest(ports, { accountId: accountOf(request.event), limit });
  },
});
