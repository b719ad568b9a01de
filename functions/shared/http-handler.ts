import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { z } from 'zod';
import { accountRateLimit } from './account-rate-limit.ts';
import { accountOf } from './auth.ts';
import { toProblem } from './error-mapping.ts';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency.ts';
import { logger } from './logger.ts';
import { problem, problemResponse } from './problem.ts';
import type { RouteDefinition } from './route.ts';
import { services } from './services.ts';
import { parseOrProblem } from './validation.ts';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's handler function receives: validated inputs and the caller's account. */
export interface HttpRequest<P, Q, B> {
  readonly accountId: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly event: Event;
}

/** What a route's handler function answers: a status and a JSON body. */
export interface HttpAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

function answer(result: HttpAnswer): APIGatewayProxyStructuredResultV2 {
  if (result.body === undefined) return { statusCode: result.status, headers: result.headers };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/** Renders every failure as problem+json; anything unexpected is logged and answered 500. */
const problemErrors = (
  issuesIn: 'body' | 'query',
): middy.MiddlewareObj<Event, APIGatewayProxyStructuredResultV2> => ({
  onError: (request) => {
    const known = toProblem(request.error, issuesIn);
    if (!known) logger.error('unhandled error', { error: request.error as Error });
    const rendered = known ?? problem('INTERNAL', 'An internal error occurred; it has been logged');
    request.response = problemResponse(rendered, request.event.rawPath);
  },
});

/** Refuses a body on routes that take none, and a missing one on routes that need one. */
const bodyPresence = (
  takesBody: boolean,
): middy.MiddlewareObj<Event, APIGatewayProxyStructuredResultV2> => ({
  before: (request) => {
    const body = request.event.body;
    if (takesBody && (body === undefined || body === '')) {
      throw problem('VALIDATION_FAILED', 'A JSON body is required', {
        errors: [{ path: 'body', message: 'is required' }],
      });
    }
  },
});

/** True when a parsed query holds at least one value. */
function hasValues(query: unknown): boolean {
  return (
    typeof query === 'object' &&
    query !== null &&
    Object.values(query).some((value) => value !== undefined)
  );
}

// Printable ASCII only: the key is echoed in logs and compared byte for byte.
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,64}$/;

function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers[IDEMPOTENCY_KEY_HEADER];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw problem(
      'VALIDATION_FAILED',
      'Invalid header: Idempotency-Key must be 1–64 printable ASCII characters',
      {
        errors: [
          { path: 'headers.Idempotency-Key', message: 'must be 1–64 printable ASCII characters' },
        ],
      },
    );
  }
  return key;
}

/**
 * The one middy stack of every API route: header normalisation, logging, the account's request
 * limit (authenticated routes), JSON body parsing, zod validation of path, query and body, the
 * account from the verified token, and problem+json errors.
 */
export function httpHandler<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
  run: (request: HttpRequest<Output<P>, Output<Q>, Output<B>>) => Promise<HttpAnswer>,
) {
  const logged = middy<Event, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(problemErrors(route.body ? 'body' : 'query'))
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }));
  const limited = route.auth === 'jwt' ? logged.use(accountRateLimit()) : logged;
  const base = limited.use(bodyPresence(route.body !== undefined));
  const stack = route.body
    ? base.use(httpJsonBodyParser({ disableContentTypeError: false }))
    : base;
  return stack.handler(async (event, context) => {
    const accountId = route.auth === 'jwt' ? accountOf(event) : '';
    const params = route.params
      ? parseOrProblem(route.params, event.pathParameters ?? {}, 'path')
      : undefined;
    const query = route.query
      ? parseOrProblem(route.query, event.queryStringParameters ?? {}, 'query')
      : undefined;
    const body = route.body ? parseOrProblem(route.body, event.body, 'body') : undefined;
    const headers = event.headers ?? {};
    const execute = () =>
      run({
        accountId,
        params: params as Output<P>,
        query: query as Output<Q>,
        body: body as Output<B>,
        headers,
        event,
      });
    const idempotencyKey = route.idempotent ? idempotencyKeyOf(headers) : undefined;
    if (idempotencyKey === undefined) return answer(await execute());
    const { runOnce } = await services();
    const result = await runOnce(
      {
        key: `${accountId}#${route.operationId}#${idempotencyKey}`,
        // The query is part of the request when it says something (`?purge=true` deletes for
        // good, a plain DELETE recycles): a key reused across the two is another request.
        request: {
          params: params ?? null,
          body: body ?? null,
          ...(hasValues(query) ? { query } : {}),
        },
        run: execute,
      },
      context,
    );
    return answer(result);
  });
}
