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

const DOLLAR_STRING = /^(-?)(\d+)\.(\d{2})$/;

/** A dollar string with exactly two decimals as whole cents: "2.00" → 200n; the inverse of formatCents. */
export function parseCents(amount: string): bigint {
  const match = DOLLAR_STRING.exec(amount);
  if (match === null) throw new Error(`not an amount written with two decimals: ${amount}`);
  const cents = BigInt(match[2] ?? '') * 100n + BigInt(match[3] ?? '');
  return match[1] === '-' ? -cents : cents;
}

/** Dollars in whole cents as Money. */
export function usdFromCents(cents: bigint): Money {
  return { amount: formatCents(cents), currency: 'USD' };
}
