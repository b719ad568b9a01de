import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ENV } from '../../../../blueprint/facts.ts';
import { FUNCTIONS } from '../../../../infra/catalog.ts';
import type { ConsoleSite } from '../../../../local/gateway/console-site.ts';
import { type LocalIdentity, openLocalIdentity } from '../../../../local/gateway/identity.ts';
import { type LocalGateway, startGateway } from '../../../../local/gateway/server.ts';
import { createLocalLambdas } from '../../../../local/lambdas.ts';

/** The gateway of a describe, and the identity that signs its tokens; read inside tests only. */
export interface GatewayUnderTest {
  readonly dir: string;
  readonly gateway: LocalGateway;
  readonly identity: LocalIdentity;
}

/**
 * A local gateway of every deployed function for the enclosing describe, with its key in a
 * directory of its own, started before the tests and closed after. There is no table, so the
 * handlers run without the per-account limit, which needs one. `consoleSite` serves a console site
 * made in that directory.
 */
export function localGatewayFor(
  prefix: string,
  consoleSite?: (dir: string, identity: LocalIdentity) => ConsoleSite,
): GatewayUnderTest {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let started: { gateway: LocalGateway; identity: LocalIdentity } | undefined;
  const saved = process.env[ENV.accountRateLimitPerSecond];

  beforeAll(async () => {
    process.env[ENV.accountRateLimitPerSecond] = '0';
    const identity = await openLocalIdentity(join(dir, 'key.json'));
    const gateway = await startGateway({
      port: 0,
      functions: FUNCTIONS,
      lambdas: createLocalLambdas(FUNCTIONS),
      identity,
      ...(consoleSite ? { console: consoleSite(dir, identity) } : {}),
    });
    started = { gateway, identity };
  });
  afterAll(async () => {
    await started?.gateway.close();
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[ENV.accountRateLimitPerSecond];
    else process.env[ENV.accountRateLimitPerSecond] = saved;
  });

  const get = () => {
    if (!started) throw new Error('the gateway starts before the tests: read it inside one');
    return started;
  };
  return {
    dir,
    get gateway() {
      return get().gateway;
    },
    get identity() {
      return get().identity;
    },
  };
}
