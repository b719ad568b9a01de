/** How fast a token bucket refills and how many tokens it holds. */
export interface RateLimit {
  /** Tokens added per second: the sustained rate. Positive. */
  readonly perSecond: number;
  /** The most tokens the bucket holds, so the longest burst a full bucket admits. At least 1. */
  readonly burst: number;
}

/** What one `take` decided. */
export type RateDecision =
  | {
      readonly allowed: true;
      /** Whole tokens left in the bucket after this one. */
      readonly remaining: number;
    }
  | {
      readonly allowed: false;
      /** How long until the bucket holds a token again (at least 1 ms). */
      readonly retryAfterMs: number;
    };

/**
 * Token buckets shared by every process serving the API: a token one process takes is gone for all
 * of them, so a limit holds however many containers serve an account.
 */
export interface RateLimiter {
  /**
   * Takes one token from the bucket named `key`. The bucket refills at `limit.perSecond` up to
   * `limit.burst`, by the limiter's clock; a bucket never used (or idle long enough) is full.
   * Refill and take are one atomic step: concurrent takes never hand out more tokens than the
   * bucket held. A refused take changes nothing and says when a token will be back.
   */
  take(key: string, limit: RateLimit): Promise<RateDecision>;
}
