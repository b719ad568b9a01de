import { z } from 'zod';
import { DEFAULT_ACCOUNT_RATE_LIMIT, DEFAULT_REGIONS, ENV } from '../../blueprint/facts.ts';
import type { RateLimit } from '../../core/ports/rate-limiter.ts';

const RegionsSchema = z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1);

/** The regions this deployment serves: the REGIONS variable, or the default pair. */
export function configuredRegions(): ReadonlyArray<{ id: string; name: string }> {
  const raw = process.env[ENV.regions];
  if (!raw) return DEFAULT_REGIONS;
  return RegionsSchema.parse(JSON.parse(raw));
}

const ImageBucketsSchema = z.record(z.string().min(1), z.string().min(1));

/**
 * Each served region's images bucket, by region id: the IMAGES_BUCKETS variable. A region without
 * one fails at cold start, before any request is served.
 */
export function configuredImageBuckets(): ReadonlyMap<string, string> {
  const buckets = ImageBucketsSchema.parse(JSON.parse(requiredEnv(ENV.imagesBuckets)));
  const missing = configuredRegions().filter((region) => buckets[region.id] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `${ENV.imagesBuckets} names no bucket for ${missing.map((r) => r.id).join(', ')}`,
    );
  }
  return new Map(Object.entries(buckets));
}

/** A required environment variable, failing loudly at cold start when the deployment lacks it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const PerSecondSchema = z.coerce.number().finite().min(0);
const BurstSchema = z.coerce.number().int().min(1);

/**
 * Each account's request limit over all authenticated routes: the ACCOUNT_RATE_LIMIT_PER_SECOND
 * and ACCOUNT_RATE_LIMIT_BURST variables, or the defaults; undefined when the rate is 0 (off).
 */
export function configuredAccountRateLimit(): RateLimit | undefined {
  const rawRate = process.env[ENV.accountRateLimitPerSecond];
  const rawBurst = process.env[ENV.accountRateLimitBurst];
  const perSecond = rawRate ? PerSecondSchema.parse(rawRate) : DEFAULT_ACCOUNT_RATE_LIMIT.perSecond;
  if (perSecond === 0) return undefined;
  const burst = rawBurst ? BurstSchema.parse(rawBurst) : DEFAULT_ACCOUNT_RATE_LIMIT.burst;
  return { perSecond, burst };
}
