import { beforeEach } from 'vitest';
import {
  createMemoryPorts,
  type MemoryPorts,
} from '../../../../../adapters/memory/memory-ports.ts';
import { T0 } from '../../../../support/records.ts';

/** The account of the records the steps make. */
export const ACCOUNT = 'acct-1';

/** The host active slices are placed on. */
export const HOST = 'fra1-a';

/** Where each test's clock starts: the ports' clock reads NOW until the test moves it. */
export const NOW = T0;

/** What a test starts from: memory ports of its own and the records prepared on them. */
export type Given<T extends object> = { readonly ports: MemoryPorts } & Readonly<T>;

/**
 * Before each test of the enclosing block: fresh memory ports (every port wired, the clock at NOW
 * unless `options.now` says otherwise, ids counted from one) and what `prepare` builds on them.
 * Made again for every test, so no test sees another's writes; a test reads them from the object
 * answered, once it runs.
 */
export function givenPorts<T extends object = object>(
  prepare: (ports: MemoryPorts) => Promise<T> | T = () => ({}) as T,
  options: Parameters<typeof createMemoryPorts>[0] = {},
): Given<T> {
  const given = {} as { ports: MemoryPorts } & T;
  beforeEach(async () => {
    const ports = createMemoryPorts({ now: NOW, ...options });
    Object.assign(given, await prepare(ports), { ports });
  });
  return given;
}
