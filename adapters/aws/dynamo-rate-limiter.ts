import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RATE_LIMIT_PARTITION_PREFIX, TABLE_DESIGN } from '../../blueprint/facts.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { RateDecision, RateLimit, RateLimiter } from '../../core/ports/rate-limiter.ts';
import {
  type BucketTiming,
  bucketTiming,
  microsOf,
  remainingAfter,
  takeToken,
} from '../../core/rate-limits/token-bucket.ts';
import { isConditionFailure, type TableAccess } from './dynamo-record-table.ts';

/** Conditional writes tried per take before giving up under contention (each one learns more). */
const MAX_ATTEMPTS = 4;
/** How many buckets' last seen instants a process keeps to aim its first write. */
const MAX_HINTS = 10_000;
/** An item outlives the moment its bucket is full again by this long, then TTL may remove it. */
const TTL_MARGIN_SECONDS = 60;

/** Which of the two writes a take tries: refill a full bucket, or queue behind its instant. */
type Write = 'refill' | 'queue';

interface Waiter {
  resolve(decision: RateDecision): void;
  reject(error: unknown): void;
}

interface StoredBucket {
  readonly tat?: number;
}

/**
 * RateLimiter on the single table: one item per bucket (`pk = RATE-LIMIT#<key>`, `sk = BUCKET`)
 * holding one number, `tat`, the instant (µs) at which the bucket is full again (GCRA). Refill and
 * take are one UpdateItem with a condition, in one of two forms:
 * - refill, when the bucket is full (`tat` absent or not after now), sets `tat = now + interval`;
 * - queue, when it is not (`now < tat ≤ now + window − interval`), sets `tat = tat + interval`.
 * The first write is aimed by the last instant this process saw; a failed condition returns the
 * stored item, which says which form holds now, or that the take is refused and for how long.
 * Takes of one bucket that arrive while its write is in flight wait for it, then go together in
 * the next write (n tokens: n intervals), so a process never races itself on the item; each still
 * gets its own decision, and no more are admitted than fit.
 * Writes never move `tat` backwards and never put it more than a window past the writer's clock.
 * Clocks of two processes that differ by δ shift at most δ × perSecond tokens between them, without
 * drift (the instant is absolute); Lambda's clocks keep δ around a millisecond. TTL removes a bucket
 * a minute after it is full again, which is the same as no item.
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly #access: TableAccess;
  readonly #clock: Clock;
  readonly #hints = new Map<string, number>();
  /** Takes waiting for a bucket's write in flight, by bucket and limit. */
  readonly #queues = new Map<string, Waiter[]>();

  constructor(access: TableAccess & { clock: Clock }) {
    this.#access = access;
    this.#clock = access.clock;
  }

  take(key: string, limit: RateLimit): Promise<RateDecision> {
    const queueKey = `${key}\u0000${limit.perSecond}/${limit.burst}`;
    return new Promise<RateDecision>((resolve, reject) => {
      const waiting = this.#queues.get(queueKey);
      if (waiting) {
        waiting.push({ resolve, reject });
        return;
      }
      this.#queues.set(queueKey, [{ resolve, reject }]);
      void this.#drain(queueKey, key, limit);
    });
  }

  /** Serves a bucket's queued takes, all those waiting at once in one write, until none waits. */
  async #drain(queueKey: string, key: string, limit: RateLimit): Promise<void> {
    for (;;) {
      const batch = this.#queues.get(queueKey) ?? [];
      if (batch.length === 0) {
        this.#queues.delete(queueKey);
        return;
      }
      this.#queues.set(queueKey, []);
      try {
        const decisions = await this.#takeMany(key, limit, batch.length);
        batch.forEach((waiter, index) => {
          waiter.resolve(decisions[index] ?? decisions[0] ?? refusalAfter(bucketTiming(limit)));
        });
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
  }

  /** Takes up to `count` tokens in one conditional write; the decisions in order of arrival. */
  async #takeMany(key: string, limit: RateLimit, count: number): Promise<RateDecision[]> {
    const timing = bucketTiming(limit);
    const now = microsOf(this.#clock.now());
    let stored = this.#hints.get(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const start = stored === undefined || stored < now ? now : stored;
      const fit = Math.floor((now + timing.windowMicros - start) / timing.intervalMicros);
      const granted = Math.max(0, Math.min(count, fit));
      if (granted === 0) {
        this.#hint(key, stored);
        return Array.from({ length: count }, () => refusal(timing, start, now));
      }
      const write: Write = stored !== undefined && stored > now ? 'queue' : 'refill';
      const outcome = await this.#write(key, timing, write, now, granted);
      if ('tat' in outcome) {
        const end = outcome.tat ?? start + granted * timing.intervalMicros;
        this.#hint(key, end);
        const first = end - granted * timing.intervalMicros;
        return Array.from({ length: count }, (_, index) =>
          index < granted
            ? {
                allowed: true,
                remaining: remainingAfter(timing, first + (index + 1) * timing.intervalMicros, now),
              }
            : refusal(timing, end, now),
        );
      }
      // The item changed since this process last saw it: decide again on what it holds now.
      stored = outcome.stored.tat;
    }
    // Contention beyond MAX_ATTEMPTS: refuse for one interval rather than over-admit.
    return Array.from({ length: count }, () => refusalAfter(timing));
  }

  async #write(
    key: string,
    timing: BucketTiming,
    write: Write,
    now: number,
    tokens: number,
  ): Promise<{ tat: number | undefined } | { stored: StoredBucket }> {
    const span = tokens * timing.intervalMicros;
    const refill = write === 'refill';
    const expiresAt = Math.ceil((now + 2 * timing.windowMicros) / 1_000_000) + TTL_MARGIN_SECONDS;
    try {
      const result = await this.#access.client.send(
        new UpdateCommand({
          TableName: this.#access.tableName,
          Key: { pk: `${RATE_LIMIT_PARTITION_PREFIX}${key}`, sk: 'BUCKET' },
          UpdateExpression: refill
            ? 'SET #tat = :next, #expires = :expires, #kind = :kind'
            : 'SET #tat = #tat + :interval, #expires = :expires, #kind = :kind',
          ConditionExpression: refill
            ? 'attribute_not_exists(#tat) OR #tat <= :now'
            : '#tat > :now AND #tat <= :latest',
          ExpressionAttributeNames: {
            '#tat': 'tat',
            '#expires': TABLE_DESIGN.ttlAttribute,
            '#kind': 'recordKind',
          },
          ExpressionAttributeValues: {
            ':now': now,
            ':expires': expiresAt,
            ':kind': 'rate-limit-bucket',
            ...(refill
              ? { ':next': now + span }
              : { ':interval': span, ':latest': now + timing.windowMicros - span }),
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const tat = result?.Attributes?.tat;
      return { tat: typeof tat === 'number' ? tat : undefined };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { stored: { tat: storedInstant(error) } };
    }
  }

  #hint(key: string, tat: number | undefined): void {
    if (tat === undefined) return;
    if (this.#hints.size >= MAX_HINTS && !this.#hints.has(key)) this.#hints.clear();
    this.#hints.set(key, tat);
  }
}

/** The refusal of a take from a bucket whose instant is `start`, at `now`. */
function refusal(timing: BucketTiming, start: number, now: number): RateDecision {
  const { decision } = takeToken(timing, start, now);
  return decision.allowed ? refusalAfter(timing) : decision;
}

/** A refusal for one interval: the wait when the bucket's state is not known. */
function refusalAfter(timing: BucketTiming): RateDecision {
  return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(timing.intervalMicros / 1000)) };
}

/** The `tat` of the item a failed condition returned (the raw wire form: lib-dynamodb leaves it). */
function storedInstant(error: unknown): number | undefined {
  const item = (error as { Item?: Record<string, unknown> }).Item;
  const raw = item?.tat;
  if (typeof raw === 'number') return raw;
  const wire = (raw as { N?: string } | undefined)?.N;
  return wire === undefined ? undefined : Number(wire);
}
