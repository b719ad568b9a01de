import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { STAGE_THROTTLE } from '../../blueprint/facts.ts';
import type { ErrorCode } from '../../core/shared/error-codes.ts';
import { problem, problemResponse } from '../../functions/shared/problem.ts';
import type { FunctionSpec } from '../../infra/catalog.ts';
import type { LocalLambdas } from '../lambdas.ts';
import { listen } from '../net.ts';
import type { ConsoleSite } from './console-site.ts';
import type { LocalIdentity } from './identity.ts';
import { createRouter } from './routes.ts';
import { createRouteThrottle } from './throttle.ts';

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface GatewayOptions {
  host?: string;
  port: number;
  functions: readonly FunctionSpec[];
  lambdas: LocalLambdas;
  identity: LocalIdentity;
  /** The web console, served at `/` beside the API (`npm start`). */
  console?: ConsoleSite;
  log?(line: string): void;
}

export interface LocalGateway {
  url: string;
  close(): Promise<void>;
}

/** A problem the gateway answers itself, rendered as the API's functions render theirs. */
function sendProblem(response: ServerResponse, code: ErrorCode, detail: string) {
  const answer = problem(code, detail);
  response.writeHead(answer.status, { 'content-type': 'application/problem+json' });
  response.end(problemResponse(answer).body);
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function isTextual(contentType: string | undefined): boolean {
  return (
    !contentType ||
    /^(text\/|application\/([\w.+-]*json|xml|x-www-form-urlencoded))/i.test(contentType)
  );
}

/** Headers as HTTP API passes them: lower-case names, repeated values joined with commas. */
function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') {
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return headers;
}

function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const key of new Set(search.keys())) query[key] = search.getAll(key).join(',');
  return Object.keys(query).length ? query : undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function isStructured(result: unknown): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

/**
 * An HTTP server standing in for API Gateway (HTTP API, payload v2): it verifies the JWT as the
 * authorizer would, builds the v2 event and calls the same handler module that is deployed.
 */
export async function startGateway(options: GatewayOptions): Promise<LocalGateway> {
  const route = createRouter(options.functions);
  const throttle = createRouteThrottle(STAGE_THROTTLE);
  const host = options.host ?? '127.0.0.1';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const method = request.method ?? 'GET';
    if (url.pathname === '/.well-known/jwks.json' && method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(options.identity.jwks));
      return;
    }
    const matched = route(method, url.pathname);
    if (!matched && (await options.console?.(request, response, url))) return;
    if (!matched) {
      sendProblem(response, 'ROUTE_NOT_FOUND', `No route for ${method} ${url.pathname}`);
      return;
    }
    // As in AWS, the stage throttles before the authorizer runs and before any function.
    if (!throttle.admit(matched.routeKey)) {
      sendProblem(
        response,
        'RATE_LIMITED',
        `${matched.routeKey} is past the API's rate for a route`,
      );
      return;
    }
    let claims: Record<string, string | number | boolean | string[]> | undefined;
    if (matched.route.auth === 'jwt') {
      const token = bearerToken(request.headers.authorization);
      if (!token) {
        sendProblem(response, 'UNAUTHORIZED', 'A bearer token is required');
        return;
      }
      try {
        claims = (await options.identity.verify(token)) as typeof claims;
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'invalid token';
        sendProblem(response, 'UNAUTHORIZED', `The bearer token was refused: ${reason}`);
        return;
      }
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      sendProblem(response, 'BODY_TOO_LARGE', 'The request body exceeds 10 MB');
      return;
    }
    const textual = isTextual(request.headers['content-type']);
    const now = new Date();
    const event: APIGatewayProxyEventV2 & {
      requestContext: { authorizer?: { jwt: { claims: typeof claims; scopes: null } } };
    } = {
      version: '2.0',
      routeKey: matched.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(request.headers.cookie ? { cookies: request.headers.cookie.split(/;\s*/) } : {}),
      headers: flattenHeaders(request),
      queryStringParameters: queryParameters(url.searchParams),
      pathParameters: Object.keys(matched.pathParameters).length
        ? matched.pathParameters
        : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: request.headers.host ?? host,
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: request.headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: matched.routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
      body: body.length ? body.toString(textual ? 'utf8' : 'base64') : undefined,
      isBase64Encoded: body.length > 0 && !textual,
    };
    let result: unknown;
    try {
      result = await options.lambdas.invoke(matched.functionName, event);
    } catch (error) {
      options.log?.(`${matched.functionName} failed: ${(error as Error).stack ?? error}`);
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
      return;
    }
    if (!isStructured(result)) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result));
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    if (result.cookies?.length) headers['set-cookie'] = result.cookies;
    response.writeHead(result.statusCode ?? 200, headers);
    response.end(
      result.body === undefined
        ? undefined
        : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
    );
  };

  // Idle connections stay open a minute, as behind API Gateway: Node's default of 5 s closes them
  // under clients that pause between calls (a script running dd), which then fail on reuse.
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log?.(`gateway error: ${(error as Error).stack ?? error}`);
      if (!response.headersSent) sendProblem(response, 'INTERNAL', 'gateway error');
      else response.destroy();
    });
  });
  return listen(server, options.port, host);
}
