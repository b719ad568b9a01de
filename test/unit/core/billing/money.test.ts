import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCents, parseCents } from '../../../../core/billing/money.ts';

describe('parseCents', () => {
  it.each([
    ['0.00', 0n],
    ['2.00', 200n],
    ['0.26', 26n],
    ['819.20', 81_920n],
    ['-1.05', -105n],
  ])('reads %s as %s cents', (amount, cents) => {
    expect(parseCents(amount)).toBe(cents);
  });

  it('reads back whatever formatCents writes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (cents) => {
        return parseCents(formatCents(cents)) === cents;
      }),
    );
  });

  it.each(['2', '2.0', '2.001', '2,00', ' 2.00', '', 'USD 2.00'])('refuses %j', (amount) => {
    expect(() => parseCents(amount)).toThrow(/two decimals/);
  });
});
