import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_RATE_LIMIT, ENV } from '../../../../blueprint/facts.ts';
import {
  configuredAccountRateLimit,
  configuredImageBuckets,
} from '../../../../functions/shared/config.ts';

describe('configuredAccountRateLimit', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const set = (perSecond?: string, burst?: string) => {
    delete process.env[ENV.accountRateLimitPerSecond];
    delete process.env[ENV.accountRateLimitBurst];
    if (perSecond !== undefined) process.env[ENV.accountRateLimitPerSecond] = perSecond;
    if (burst !== undefined) process.env[ENV.accountRateLimitBurst] = burst;
  };

  it('is 20 requests/s with bursts of 40 when the deployment says nothing', () => {
    set();

    expect(configuredAccountRateLimit()).toEqual(DEFAULT_ACCOUNT_RATE_LIMIT);
    expect(DEFAULT_ACCOUNT_RATE_LIMIT).toEqual({ perSecond: 20, burst: 40 });
  });

  it('takes the rate and burst the deployment sets, fractions of a request per second too', () => {
    set('0.5', '3');

    expect(configuredAccountRateLimit()).toEqual({ perSecond: 0.5, burst: 3 });
  });

  it('is off at a rate of 0', () => {
    set('0', '10');

    expect(configuredAccountRateLimit()).toBeUndefined();
  });

  it.each([
    ['-1', undefined],
    ['fast', undefined],
    ['10', '0'],
    ['10', '2.5'],
  ])('refuses rate %s and burst %s at cold start', (perSecond, burst) => {
    set(perSecond, burst);

    expect(() => configuredAccountRateLimit()).toThrow();
  });
});

describe('configuredImageBuckets', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const set = (buckets: Record<string, string> | undefined) => {
    process.env[ENV.regions] = JSON.stringify([
      { id: 'fra1', name: 'Frankfurt 1' },
      { id: 'nyc1', name: 'New York 1' },
    ]);
    if (buckets === undefined) delete process.env[ENV.imagesBuckets];
    else process.env[ENV.imagesBuckets] = JSON.stringify(buckets);
  };

  it('gives each served region its own bucket', () => {
    set({ fra1: 'images-fra1', nyc1: 'images-nyc1' });

    expect([...configuredImageBuckets()]).toEqual([
      ['fra1', 'images-fra1'],
      ['nyc1', 'images-nyc1'],
    ]);
  });

  it('fails at cold start when a served region has no bucket, or none is configured', () => {
    set({ fra1: 'images-fra1' });
    expect(() => configuredImageBuckets()).toThrow(`${ENV.imagesBuckets} names no bucket for nyc1`);

    set(undefined);
    expect(() => configuredImageBuckets()).toThrow(ENV.imagesBuckets);
  });
});
