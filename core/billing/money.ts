/** An amount of money as the contract shows it: a decimal string and its currency. */
export interface Money {
  readonly amount: string;
  readonly currency: 'USD';
}

/** Micro-dollars in a dollar: amounts are kept as integer micro-dollars until they are rounded. */
export const MICROS_PER_DOLLAR = 1_000_000n;

/** `numerator / denominator` rounded half-up to an integer (both non-negative). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (2n * denominator);
}

/** Whole cents as a dollar string with exactly two decimals: 200n → "2.00". */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const absolute = cents < 0n ? -cents : cents;
  return `${sign}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/** Dollars in whole cents as Money. */
export function usdFromCents(cents: bigint): Money {
  return { amount: formatCents(cents), currency: 'USD' };
}
