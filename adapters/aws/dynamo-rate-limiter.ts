import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
import { RATE_LIMIT_PARTITION_PREFIX, TABLE_DESIGN } from './table-design.ts';

/** Conditional writes tried per take before giving up under contention (each one learns more). */
const MAX_ATTEMPTS = 4;
/** How many buckets' last seen instants a process keeps to aim its first write. */
const MAX_HINTS = 10_000;
/** An item outlives the moment its bucket is full again by this long, then TTL may remove it. */
const TTL_MARGIN_SECONDS = 60;

/** Which of the two writes a take tries: refill a full bucket, or queue behind its instant. */
type Write = 'refill' | 'queue';

interface StoredBucket {
  readonly tat?: number;
}

/**
 * RateLimiter on the single table: one item per bucket (`pk = RATE-LIMIT#<key>`, `sk = BUCKET`)
 * holding one number, `tat`, the instant (µs) at which the bucket is full again (GCRA). Refill and
 * take are one UpdateItem with a condition, in one of two forms:
 * - refill: the bucket is full (`tat` absent or not after now): `tat = now + interval`;
 * - queue: it is not (`now < tat ≤ now + window − interval`): `tat = tat + interval`.
 * The first write is aimed by the last instant this process saw; a failed condition returns the
 * stored item, which says which form holds now, or that the take is refused and for how long.
 * Writes never move `tat` backwards and never put it more than a window past the writer's clock.
 * Clocks of two processes that differ by δ shift at most δ × perSecond tokens between them, without
 * drift (the instant is absolute); Lambda's clocks keep δ around a millisecond. TTL removes a bucket
 * a minute after it is full again, which is the same as no item.
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly #access: TableAccess;
  readonly #clock: Clock;
  readonly #hints = new Map<string, number>();

  constructor(access: TableAccess & { clock: Clock }) {
    this.#access = access;
    this.#clock = access.clock;
  }

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    const timing = bucketTiming(limit);
    const now = microsOf(this.#clock.now());
    let stored = this.#hints.get(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { decision } = takeToken(timing, stored, now);
      if (!decision.allowed) {
        this.#hint(key, stored);
        return decision;
      }
      const write: Write = stored !== undefined && stored > now ? 'queue' : 'refill';
      const outcome = await this.#write(key, timing, write, now);
      if ('tat' in outcome) {
        this.#hint(key, outcome.tat);
        return {
          allowed: true,
          remaining: outcome.tat === undefined ? 0 : remainingAfter(timing, outcome.tat, now),
        };
      }
      stored = outcome.stored.tat;
      // A stored instant equal to what this process expected lost a race to a write it cannot see
      // yet; the loop re-decides on the returned item either way.
    }
    // Contention beyond MAX_ATTEMPTS: refuse for one interval rather than over-admit.
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(timing.intervalMicros / 1000)) };
  }

  async #write(
    key: string,
    timing: BucketTiming,
    write: Write,
    now: number,
  ): Promise<{ tat: number | undefined } | { stored: StoredBucket }> {
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
              ? { ':next': now + timing.intervalMicros }
              : {
                  ':interval': timing.intervalMicros,
                  ':latest': now + timing.windowMicros - timing.intervalMicros,
                }),
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

/** The `tat` of the item a failed condition returned (the raw wire form: lib-dynamodb leaves it). */
function storedInstant(error: unknown): number | undefined {
  const item = (error as { Item?: Record<string, unknown> }).Item;
  const raw = item?.tat;
  if (typeof raw === 'number') return raw;
  const wire = (raw as { N?: string } | undefined)?.N;
  return wire === undefined ? undefined : Number(wire);
}
