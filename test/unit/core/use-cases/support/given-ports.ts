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

/** Five seconds after NOW. */
export const FIVE_SECONDS_LATER = '2025-03-01T10:00:05.000Z';
/** A minute after NOW. */
export const A_MINUTE_LATER = '2025-03-01T10:01:00.000Z';
/** Five minutes after NOW. */
export const FIVE_MINUTES_LATER = '2025-03-01T10:05:00.000Z';
/** Twenty minutes after NOW. */
export const TWENTY_MINUTES_LATER = '2025-03-01T10:20:00.000Z';
/** Eight hours after NOW: when a reader taken at NOW expires. */
export const EIGHT_HOURS_LATER = '2025-03-01T18:00:00.000Z';
/** A day after NOW. */
export const A_DAY_LATER = '2025-03-02T10:00:00.000Z';

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
