import { SystemClock } from '../../adapters/node/system-clock.ts';
import type { Clock } from '../../core/ports/clock.ts';

let source: Clock = new SystemClock();

/**
 * The Clock the handlers read, through the composition root. In Lambda it is the machine's
 * clock and nothing changes it. A process that runs the handlers itself (the local cloud, the
 * integration tests) puts its own clock in its place with {@link runHandlersOn}, so that the time
 * it moves is the time the handlers see; services built before that read the new clock too.
 */
export const runtimeClock: Clock = { now: () => source.now() };

/** Makes the handlers of this process read `clock` from now on (the machine's clock when omitted). */
export function runHandlersOn(clock: Clock = new SystemClock()): void {
  source = clock;
}
