import { afterAll, describe, inject } from 'vitest';
import { DynamoRateLimiter } from '../../adapters/aws/dynamo-rate-limiter.ts';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryRateLimiter } from '../../adapters/memory/memory-rate-limiter.ts';
import type { RateDecision, RateLimit, RateLimiter } from '../../core/ports/rate-limiter.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
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

describe('RateLimiter', () => {
  describe('in memory', () => {
    rateLimiterContract((clock) => new SharedMemoryRateLimiter(clock), new ManualClock());
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    rateLimiterContract(
      (clock) => new DynamoRateLimiter({ client, tableName, clock }),
      new ManualClock(),
    );
  });
});
