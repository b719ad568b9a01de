import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, formatCents, usdFromCents } from '../../../../core/billing/money.ts';
import { monthlyCostOf } from '../../../../core/billing/monthly-cost.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';

const GIB = BYTES_PER_GIB;

describe('monthlyCostOf', () => {
  it('charges exactly 2.00 USD for a full month of 40 GiB', () => {
    expect(monthlyCostOf(40 * GIB)).toEqual({ amount: '2.00', currency: 'USD' });
  });

  it.each([
    [0, '0.00'],
    [GIB, '0.05'],
    [16_384 * GIB, '819.20'],
    [GIB / 2, '0.03'],
    [GIB / 2 - 1, '0.02'],
    [1, '0.00'],
  ])('charges %i bytes %s', (bytes, amount) => {
    expect(monthlyCostOf(bytes).amount).toBe(amount);
  });

  it('is within half a cent of the exact price, never negative, never decreasing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16_384 * GIB }),
        fc.integer({ min: 0, max: GIB }),
        (bytes, extra) => {
          const cents = BigInt(monthlyCostOf(bytes).amount.replace('.', ''));
          const exactTimesGib = 5n * BigInt(bytes);
          const gib = BigInt(GIB);
          const more = BigInt(monthlyCostOf(bytes + extra).amount.replace('.', ''));
          return (
            cents >= 0n &&
            cents * gib - exactTimesGib <= gib / 2n &&
            exactTimesGib - cents * gib < gib / 2n &&
            more >= cents
          );
        },
      ),
    );
  });
});

describe('money', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [200n, '2.00'],
    [12_345n, '123.45'],
    [-5n, '-0.05'],
  ])('formats %s cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('rounds halves up and the rest to the nearest', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(7n, 3n)).toBe(2n);
    expect(divideRoundHalfUp(8n, 3n)).toBe(3n);
    expect(usdFromCents(1n)).toEqual({ amount: '0.01', currency: 'USD' });
  });
});
