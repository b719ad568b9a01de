import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentCallback } from '../../../../agent/protocol/callbacks.ts';
import { NonceCache } from '../../../../agent/protocol/signing.ts';
import { readSigned } from '../../support/held-host.ts';

export interface CallbackReceiver {
  readonly url: string;
  readonly received: AgentCallback[];
  /** Requests whose signature did not verify. */
  readonly refused: number;
  /** Resolves with the first callback for `taskToken` that matches. */
  next(
    taskToken: string,
    kinds: ReadonlyArray<AgentCallback['kind']>,
    timeoutMs?: number,
  ): Promise<AgentCallback>;
  close(): Promise<void>;
}

/** A stand-in for the backend's callback endpoint that verifies signatures as it would. */
export async function startCallbackReceiver(
  hostId: string,
  secret: string,
): Promise<CallbackReceiver> {
  const received: AgentCallback[] = [];
  const waiters = new Set<() => void>();
  const nonces = new NonceCache();
  let refused = 0;
  const server: Server = createServer(async (request, response) => {
    const { body, verified } = await readSigned(request, secret);
    if (!verified.ok || verified.hostId !== hostId || !nonces.claim(verified.nonce)) {
      refused += 1;
      response.writeHead(401).end();
      return;
    }
    received.push(JSON.parse(body.toString()));
    response.writeHead(200).end();
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/agent/v1/callbacks`,
    received,
    get refused() {
      return refused;
    },
    next: (taskToken, kinds, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(
            (item) => item.taskToken === taskToken && kinds.includes(item.kind),
          );
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no ${kinds.join('/')} callback for ${taskToken} within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
