import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

/** An API route's handler as API Gateway calls it. */
export type ApiHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * An HTTP API (v2) event behind the JWT authorizer: the route, its path parameters, a JSON body if
 * given, and the caller's account in the verified claims.
 */
export function apiRequest(options: {
  routeKey: string;
  path: string;
  pathParameters: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  accountId?: string;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method = 'GET'] = options.routeKey.split(' ');
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
    pathParameters: options.pathParameters,
    requestContext: {
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.7' },
      authorizer: {
        jwt: { claims: { 'custom:account': options.accountId ?? 'acct-1' }, scopes: [] },
        principalId: '',
        integrationLatency: 0,
      },
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** What a request of a route carries besides its route: the resource `id` (its `{id}`), a JSON body, a query, the caller. */
export interface RouteInput {
  readonly id?: string;
  readonly body?: unknown;
  readonly query?: Record<string, string>;
  readonly accountId?: string;
}

/** A request of the route `routeKey`, its path filled in with the resource `id` if given. */
export function routeRequest(
  routeKey: string,
  input: RouteInput = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { id, ...rest } = input;
  const template = routeKey.split(' ')[1] ?? '';
  return apiRequest({
    routeKey,
    path: id === undefined ? template : template.replace('{id}', id),
    pathParameters: id === undefined ? {} : { id },
    ...rest,
  });
}

/** The members of a problem+json answer that the tests read. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

/** A problem+json or JSON answer's body, parsed. */
export function bodyOf<T = Record<string, unknown>>(
  response: APIGatewayProxyStructuredResultV2,
): T {
  return JSON.parse(String(response.body)) as T;
}
