import type { Clock } from '../../core/ports/clock.ts';
import type { RateDecision, RateLimit, RateLimiter } from '../../core/ports/rate-limiter.ts';
import { bucketTiming, microsOf, takeToken } from '../../core/rate-limits/token-bucket.ts';

/** Token buckets in memory, on the given clock: one process's share of nothing. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, number>();
  readonly #clock: Clock;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    const { decision, next } = takeToken(
      bucketTiming(limit),
      this.#buckets.get(key),
      microsOf(this.#clock.now()),
    );
    if (next !== undefined) this.#buckets.set(key, next);
    return decision;
  }
}
