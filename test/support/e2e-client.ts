import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { openLocalIdentity } from '../../local/gateway/identity.ts';
import { PROJECT_ROOT } from '../../local/lambdas.ts';

/** Runs a command in another process, without blocking this one's event loop; fails unless 0. */
export async function run(command: string, args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(command, [...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SLICE_SNAPSHOTS_DATA_DIR: inject('localDataDir') },
    encoding: 'utf8',
  });
  return stdout.trim();
}

/** `npm run local -- <args>` against the running local cloud, as a user types it. */
export function local(...args: string[]): Promise<string> {
  return run('npm', ['run', '--silent', 'local', '--', ...args]);
}

/** Reads until `done` holds, every 200 ms, for a minute at most. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

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
