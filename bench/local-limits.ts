/**
 * The account request limit of benches that drive the local cloud: far above what they send, so
 * they measure the API and the workflows, not the account's limit (which is still spent).
 */
export const BENCH_ACCOUNT_RATE_LIMIT = { perSecond: 10_000, burst: 20_000 } as const;
