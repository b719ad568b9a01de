import type { RateDecision, RateLimit } from '../ports/rate-limiter.ts';

const MICROS_PER_SECOND = 1_000_000;

/**
 * A token bucket kept as one instant, its "theoretical arrival time" (GCRA): the bucket is full
 * when that instant is not after now, and each token taken pushes it one interval later. One
 * number, so a store can refill and take in a single conditional write. Times in integer
 * microseconds since the epoch.
 */
export interface BucketTiming {
  /** Microseconds one token stands for: 1 s / perSecond, at least 1. */
  readonly intervalMicros: number;
  /** Microseconds a full bucket spans: burst × interval. */
  readonly windowMicros: number;
}

/** The interval and window of a limit. */
export function bucketTiming(limit: RateLimit): BucketTiming {
  const intervalMicros = Math.max(1, Math.round(MICROS_PER_SECOND / limit.perSecond));
  return { intervalMicros, windowMicros: intervalMicros * Math.max(1, Math.floor(limit.burst)) };
}

/**
 * Takes one token at `now` from a bucket whose instant is `stored` (undefined when it was never
 * used). Answers the new instant when the take is allowed, and how long to wait otherwise.
 */
export function takeToken(
  timing: BucketTiming,
  stored: number | undefined,
  now: number,
): { decision: RateDecision; next?: number } {
  const start = stored === undefined || stored < now ? now : stored;
  const next = start + timing.intervalMicros;
  if (next - now > timing.windowMicros) {
    const waitMicros = Math.min(next - now - timing.windowMicros, timing.windowMicros);
    return {
      decision: { allowed: false, retryAfterMs: Math.max(1, Math.ceil(waitMicros / 1000)) },
    };
  }
  return { decision: { allowed: true, remaining: remainingAfter(timing, next, now) }, next };
}

/** Whole tokens left in a bucket whose instant is `next`, at `now`. */
export function remainingAfter(timing: BucketTiming, next: number, now: number): number {
  return Math.max(0, Math.floor((now + timing.windowMicros - next) / timing.intervalMicros));
}

/** An instant of a Date, in microseconds since the epoch. */
export function microsOf(instant: Date): number {
  return instant.getTime() * 1000;
}
