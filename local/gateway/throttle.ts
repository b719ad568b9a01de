/** A stage's default route throttling: requests per second sustained and the bucket's burst. */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Throttles the way an HTTP API stage does with default route settings: one token bucket per
 * route (method and path template), filled at `rateLimit` per second up to `burstLimit`, shared by
 * every caller. `admit` takes a token from the route's bucket, or answers false past its rate.
 */
export function createRouteThrottle(
  limits: RouteThrottle,
  now: () => number = () => performance.now(),
) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    admit(routeKey: string): boolean {
      const at = now();
      const bucket = buckets.get(routeKey) ?? { tokens: limits.burstLimit, at };
      bucket.tokens = Math.min(
        limits.burstLimit,
        bucket.tokens + ((at - bucket.at) / 1000) * limits.rateLimit,
      );
      bucket.at = at;
      buckets.set(routeKey, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
