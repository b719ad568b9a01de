import { BYTES_PER_GIB } from '../shared/sizes.ts';
import { divideRoundHalfUp, MICROS_PER_DOLLAR, type Money, usdFromCents } from './money.ts';
import { RATE_MICROS_PER_GIB_MONTH } from './rate.ts';

const MICROS_PER_CENT = MICROS_PER_DOLLAR / 100n;

/**
 * What a full calendar month of `sizeBytes` costs, rounded half-up to the cent with integer
 * arithmetic only: 40 GiB is exactly "2.00".
 */
export function monthlyCostOf(sizeBytes: number): Money {
  const micros = BigInt(sizeBytes) * RATE_MICROS_PER_GIB_MONTH;
  return usdFromCents(divideRoundHalfUp(micros, BigInt(BYTES_PER_GIB) * MICROS_PER_CENT));
}
