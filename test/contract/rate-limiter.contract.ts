import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import type { RateDecision, RateLimiter } from '../../core/ports/rate-limiter.ts';
import { freshPerTest } from './describe-contract.ts';

const LIMIT = { perSecond: 10, burst: 4 };

const allowedCount = (decisions: readonly RateDecision[]) =>
  decisions.filter((decision) => decision.allowed).length;

/** The behaviour every RateLimiter shares; `make` gets the clock the limiter must read. */
export function rateLimiterContract(make: (clock: ManualClock) => RateLimiter): void {
  const clock = new ManualClock();
  const fresh = freshPerTest(() => {
    clock.set(new Date(Date.UTC(2026, 2, 10, 12, 0, 0)));
    return { limiter: make(clock), key: `account#${randomUUID()}` };
  });

  async function takeMany(count: number, bucket = fresh.key): Promise<RateDecision[]> {
    const decisions: RateDecision[] = [];
    for (let i = 0; i < count; i++) decisions.push(await fresh.limiter.take(bucket, LIMIT));
    return decisions;
  }

  it('admits a full burst from a bucket never used, counting down what is left', async () => {
    const decisions = await takeMany(LIMIT.burst);

    expect(decisions).toEqual([
      { allowed: true, remaining: 3 },
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
  });

  it('refuses past the burst and says when a token is back', async () => {
    await takeMany(LIMIT.burst);

    const refused = await fresh.limiter.take(fresh.key, LIMIT);

    expect(refused).toEqual({ allowed: false, retryAfterMs: 100 });
  });

  it('refills at its rate and never above its burst', async () => {
    await takeMany(LIMIT.burst);
    clock.advanceSeconds(0.25);
    const afterQuarterSecond = allowedCount(await takeMany(5));
    clock.advanceSeconds(3600);
    const afterAnHour = allowedCount(await takeMany(LIMIT.burst + 2));

    expect(afterQuarterSecond).toBe(2);
    expect(afterAnHour).toBe(LIMIT.burst);
  });

  it('counts a refused take as nothing', async () => {
    await takeMany(LIMIT.burst);
    await takeMany(3);
    clock.advanceSeconds(0.1);

    expect((await fresh.limiter.take(fresh.key, LIMIT)).allowed).toBe(true);
  });

  it('hands out no more than the bucket holds to takes made at once', async () => {
    const decisions = await Promise.all(
      Array.from({ length: 12 }, () => fresh.limiter.take(fresh.key, LIMIT)),
    );

    expect(allowedCount(decisions)).toBe(LIMIT.burst);
  });

  it('keeps the buckets of two keys apart', async () => {
    await takeMany(LIMIT.burst + 1);

    expect(await fresh.limiter.take(`${fresh.key}-other`, LIMIT)).toEqual({
      allowed: true,
      remaining: 3,
    });
  });

  it('shares one bucket between two limiters on the same store', async () => {
    const other = make(clock);
    await takeMany(2);

    const decisions = [
      await other.take(fresh.key, LIMIT),
      await other.take(fresh.key, LIMIT),
      await other.take(fresh.key, LIMIT),
    ];

    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false]);
  });
}
