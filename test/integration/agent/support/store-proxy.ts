import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardTo } from '../../support/held-host.ts';

/** How the proxy treats chunk PUTs once `afterPuts` of them have passed. */
export type StoreFault = 'none' | 'refuse' | 'hang' | 'slow';

export interface StoreProxy {
  readonly endpoint: string;
  /** Chunk PUTs forwarded to the store so far. */
  readonly chunkPuts: number;
  /** Chunk GETs forwarded to the store so far. */
  readonly chunkGets: number;
  fault(mode: StoreFault, options?: { afterPuts?: number; delayMs?: number }): void;
  /** Answers 503 to every chunk GET once `afterGets` have passed; `null` lets them through again. */
  refuseGets(afterGets: number | null): void;
  close(): Promise<void>;
}

/**
 * A proxy in front of s3rver that breaks the store on purpose: after N chunk PUTs it answers 503
 * (`refuse`), never answers (`hang`), or delays each PUT (`slow`); after M chunk GETs it can
 * refuse those too. Everything else passes.
 */
export async function startStoreProxy(target: string): Promise<StoreProxy> {
  const upstream = new URL(target);
  let mode: StoreFault = 'none';
  let afterPuts = 0;
  let delayMs = 0;
  let chunkPuts = 0;
  let chunkGets = 0;
  let refuseGetsAfter: number | null = null;
  const server: Server = createServer((incoming, outgoing) => {
    const isChunkPut = incoming.method === 'PUT' && /\/chunks\//.test(incoming.url ?? '');
    const isChunkGet = incoming.method === 'GET' && /\/chunks\/[^?]/.test(incoming.url ?? '');
    const faulty = isChunkPut && mode !== 'none' && chunkPuts >= afterPuts;
    const refusedGet = isChunkGet && refuseGetsAfter !== null && chunkGets >= refuseGetsAfter;
    if ((faulty && mode === 'refuse') || refusedGet) {
      incoming.resume();
      outgoing.writeHead(503, { 'content-type': 'application/xml' });
      outgoing.end(
        '<Error><Code>ServiceUnavailable</Code><Message>refused on purpose</Message></Error>',
      );
      return;
    }
    if (faulty && mode === 'hang') {
      incoming.resume();
      return;
    }
    const forward = () => {
      if (isChunkPut) chunkPuts += 1;
      if (isChunkGet) chunkGets += 1;
      const proxied = forwardTo(upstream, incoming, outgoing);
      proxied.on('error', () => outgoing.destroy());
      incoming.pipe(proxied);
    };
    if (faulty && mode === 'slow') setTimeout(forward, delayMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get chunkPuts() {
      return chunkPuts;
    },
    get chunkGets() {
      return chunkGets;
    },
    refuseGets: (after) => {
      refuseGetsAfter = after;
    },
    fault: (next, options = {}) => {
      mode = next;
      afterPuts = options.afterPuts ?? 0;
      delayMs = options.delayMs ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
