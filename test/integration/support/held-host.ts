import {
  type ClientRequest,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentCommand } from '../../../agent/protocol/commands.ts';
import { signRequest, verifyRequest } from '../../../agent/protocol/signing.ts';

/** A signed request as sent to a callback URL. */
export interface SignedPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Signs a callback for `url` as the agent of `hostId` would. */
export function signedCallback(
  url: string,
  hostId: string,
  secret: string,
  callback: Record<string, unknown>,
): SignedPost {
  const body = JSON.stringify(callback);
  const target = new URL(url);
  const headers = signRequest(secret, {
    method: 'POST',
    path: `${target.pathname}${target.search}`,
    hostId,
    body,
  });
  return { url, headers: { ...headers, 'content-type': 'application/json' }, body };
}

export async function post(request: SignedPost): Promise<{ status: number; type: string | null }> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  await response.arrayBuffer();
  return { status: response.status, type: response.headers.get('content-type') };
}

/**
 * A host whose agent accepts commands (signature checked) and then stays silent, so the workflow
 * task waits until the test reports for it. `delete-disk` alone is answered at once, so a
 * compensation never waits on it.
 */
export interface HeldHost {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  readonly commands: AgentCommand[];
  close(): Promise<void>;
}

/** Reads the whole body of `request` and checks its signature against `secret`. */
export async function readSigned(
  request: IncomingMessage,
  secret: string,
): Promise<{ body: Buffer; verified: ReturnType<typeof verifyRequest> }> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const body = Buffer.concat(parts);
  const verified = verifyRequest(secret, {
    method: request.method ?? '',
    path: request.url ?? '',
    headers: request.headers,
    body,
  });
  return { body, verified };
}

/**
 * Sends `incoming`'s method, path and headers on to `target`, and streams the answer back through
 * `outgoing`. The caller writes the body to the request answered and decides what an error means.
 */
export function forwardTo(
  target: URL,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): ClientRequest {
  return httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
    },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    },
  );
}

export async function startHeldHost(id: string, secret: string): Promise<HeldHost> {
  const commands: AgentCommand[] = [];
  const server: Server = createServer(async (request, response) => {
    const { body, verified } = await readSigned(request, secret);
    if (!verified.ok || verified.hostId !== id) {
      response.writeHead(401).end();
      return;
    }
    const command = JSON.parse(body.toString('utf8')) as AgentCommand;
    commands.push(command);
    response.writeHead(202, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ commandId: command.commandId, state: 'running' }));
    if (command.type === 'delete-disk' && command.callback) {
      const { url, taskToken } = command.callback;
      await post(
        signedCallback(url, id, secret, {
          taskToken,
          commandId: command.commandId,
          kind: 'success',
          result: { sliceId: command.sliceId, deleted: true },
        }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    id,
    url: `http://127.0.0.1:${port}`,
    secret,
    commands,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
