import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_RATE_LIMIT, ENV } from '../../../../blueprint/facts.ts';
import { configuredAccountRateLimit } from '../../../../functions/shared/config.ts';

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
