/**
 * Request limits of the public API, in one place: the CDK stage and the local gateway throttle with
 * the very same numbers, and the handlers take their per-account defaults from here.
 * Plain data only: importing it must not load aws-cdk-lib.
 */

/**
 * The HTTP API stage's default route throttling. HTTP APIs apply it to each route on its own
 * (requests per second sustained, and the bucket's burst), across all callers: it protects the
 * backend, not one account from another. The account-level quota stays far above it.
 */
export const STAGE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * Each account's own limit, shared by every authenticated route: 20 requests per second sustained,
 * bursts of 40. The deployment may change it (`ENV.accountRateLimitPerSecond`,
 * `ENV.accountRateLimitBurst`).
 */
export const DEFAULT_ACCOUNT_RATE_LIMIT = { perSecond: 20, burst: 40 } as const;
