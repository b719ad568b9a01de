import { join } from 'node:path';
import { inject } from 'vitest';
import { openLocalIdentity } from '../../local/gateway/identity.ts';

/** A bearer token for any account, signed by the running local cloud's identity provider. */
export async function tokenFor(account: string): Promise<string> {
  const identity = await openLocalIdentity(
    join(inject('localDataDir'), 'auth', 'signing-key.json'),
  );
  return identity.mintToken({ account });
}

/** Calls the local API as `token`'s account; JSON in, JSON (or problem+json) out. */
export async function call(
  token: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}
