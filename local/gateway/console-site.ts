import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import {
  CONSOLE_PERMISSIONS_POLICY,
  type ConsoleConfig,
  consoleContentSecurityPolicy,
} from '../../blueprint/facts.ts';
import type { LocalIdentity } from './identity.ts';

/** Where the console signs in locally: POST `{ account }`, answered `{ idToken }`. */
export const LOCAL_SIGN_IN_PATH = '/local/sign-in';

/** What a local sign-in accepts as an account: what `npm run local -- token --account` mints. */
const ACCOUNT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export interface ConsoleSiteOptions {
  /** The built console (`console/dist`), read at each request. */
  readonly directory: string;
  /** The account the sign-in page offers first. */
  readonly defaultAccount: string;
  readonly identity: LocalIdentity;
}

/** Serves the console at `/`; answers whether it handled the request. */
export type ConsoleSite = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<boolean>;

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  response.writeHead(status, headers);
  response.end(body);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 4096) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function problem(response: ServerResponse, status: number, detail: string, code: string): void {
  send(
    response,
    status,
    { 'content-type': 'application/problem+json' },
    JSON.stringify({ type: 'about:blank', title: 'Bad Request', status, detail, code }),
  );
}

function fileOf(directory: string, pathname: string): string | undefined {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const path = join(directory, relative);
  if (path !== directory && !path.startsWith(`${directory}${sep}`)) return undefined;
  try {
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The console of `npm start`, on the API's own port: the built files (any address without a
 * file extension is the app itself, which routes in the browser), `/config.json` naming the
 * local identity provider, and its sign-in. Pages carry the same security headers as in AWS.
 */
export function createConsoleSite(options: ConsoleSiteOptions): ConsoleSite {
  // CloudFront adds Strict-Transport-Security in AWS; over plain HTTP a browser ignores it.
  const headers = {
    'content-security-policy': consoleContentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': CONSOLE_PERMISSIONS_POLICY,
  };
  const config: ConsoleConfig = {
    apiUrl: '',
    auth: { kind: 'local', signInUrl: LOCAL_SIGN_IN_PATH, defaultAccount: options.defaultAccount },
  };

  return async (request, response, url) => {
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/agent/')) return false;
    if (url.pathname === LOCAL_SIGN_IN_PATH && method === 'POST') {
      const body = (await readJson(request)) as { account?: unknown } | undefined;
      const account = body?.account;
      if (typeof account !== 'string' || !ACCOUNT_PATTERN.test(account)) {
        problem(
          response,
          400,
          'account must be 1–64 letters, digits, dots, dashes or underscores',
          'VALIDATION_FAILED',
        );
        return true;
      }
      const idToken = await options.identity.mintToken({ account });
      send(
        response,
        200,
        { 'content-type': 'application/json', 'cache-control': 'no-store' },
        JSON.stringify({ idToken }),
      );
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (url.pathname === '/config.json') {
      send(
        response,
        200,
        { 'content-type': 'application/json', 'cache-control': 'no-store' },
        JSON.stringify(config),
      );
      return true;
    }
    const asked = fileOf(options.directory, url.pathname);
    const isAddress = extname(url.pathname) === '';
    const file = asked ?? (isAddress ? fileOf(options.directory, '/index.html') : undefined);
    if (!file) {
      if (!isAddress) {
        send(response, 404, { 'content-type': 'text/plain' }, 'Not found\n');
        return true;
      }
      send(
        response,
        503,
        { 'content-type': 'text/plain' },
        'The console is not built: npm start builds it (see its log), or npm run console:build.\n',
      );
      return true;
    }
    const immutable = url.pathname.startsWith('/assets/');
    response.writeHead(200, {
      ...headers,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (method === 'HEAD') {
      response.end();
      return true;
    }
    createReadStream(file).pipe(response);
    return true;
  };
}
