/** The snapshot storage price of CONTRACT.md, as shown to users: USD per GiB-month. */
export const RATE_PER_GIB_MONTH = '0.05';

/** The same price in integer micro-dollars per GiB-month, for exact arithmetic. */
export const RATE_MICROS_PER_GIB_MONTH = 50_000n;
