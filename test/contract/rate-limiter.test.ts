import { DynamoRateLimiter } from '../../adapters/aws/dynamo-rate-limiter.ts';
import type { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryRateLimiter } from '../../adapters/memory/memory-rate-limiter.ts';
import type { RateDecision, RateLimit, RateLimiter } from '../../core/ports/rate-limiter.ts';
import { describeContract } from './describe-contract.ts';
import { rateLimiterContract } from './rate-limiter.contract.ts';

/** Several memory limiters over one set of buckets, as several processes share one table. */
class SharedMemoryRateLimiter implements RateLimiter {
  static #stores = new WeakMap<ManualClock, MemoryRateLimiter>();
  readonly #shared: MemoryRateLimiter;

  constructor(clock: ManualClock) {
    let shared = SharedMemoryRateLimiter.#stores.get(clock);
    if (!shared) {
      shared = new MemoryRateLimiter({ clock });
      SharedMemoryRateLimiter.#stores.set(clock, shared);
    }
    this.#shared = shared;
  }

  take(key: string, limit: RateLimit): Promise<RateDecision> {
    return this.#shared.take(key, limit);
  }
}

describeContract('RateLimiter', rateLimiterContract, {
  memory: (clock) => new SharedMemoryRateLimiter(clock),
  dynamo: (table) => (clock) => new DynamoRateLimiter({ ...table, clock }),
});
