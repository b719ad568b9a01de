import { describe, expect, it } from 'vitest';
import { createRouteThrottle } from '../../../../local/gateway/throttle.ts';

describe('createRouteThrottle', () => {
  const limits = { rateLimit: 10, burstLimit: 3 };

  it('admits a burst, then refuses until the bucket refills', () => {
    let now = 0;
    const throttle = createRouteThrottle(limits, () => now);

    const burst = [1, 2, 3, 4].map(() => throttle.admit('GET /v1/snapshots'));
    now += 100;
    const refilled = throttle.admit('GET /v1/snapshots');

    expect(burst).toEqual([true, true, true, false]);
    expect(refilled).toBe(true);
  });

  it('keeps one bucket per route', () => {
    const throttle = createRouteThrottle(limits, () => 0);
    for (let i = 0; i < 3; i++) throttle.admit('GET /v1/snapshots');

    expect(throttle.admit('GET /v1/snapshots')).toBe(false);
    expect(throttle.admit('GET /v1/snapshots/{id}')).toBe(true);
  });

  it('never holds more than its burst, however long it was idle', () => {
    let now = 0;
    const throttle = createRouteThrottle(limits, () => now);
    throttle.admit('GET /v1/slices');
    now += 60_000;

    const admitted = [1, 2, 3, 4].map(() => throttle.admit('GET /v1/slices'));

    expect(admitted).toEqual([true, true, true, false]);
  });
});
