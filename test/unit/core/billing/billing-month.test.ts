import { describe, expect, it } from 'vitest';
import {
  billingSecondOf,
  isBillingMonth,
  monthOf,
  monthPeriod,
  monthsBetween,
  nextMonth,
  parseBillingMonth,
  previousMonth,
  secondsInMonth,
} from '../../../../core/billing/billing-month.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';

const DAY = 86_400;

describe('billing months', () => {
  it.each([
    ['2026-01', 31],
    ['2026-02', 28],
    ['2024-02', 29],
    ['2000-02', 29],
    ['2100-02', 28],
    ['2026-04', 30],
    ['2026-12', 31],
  ])('gives %s %i days', (month, days) => {
    expect(secondsInMonth(month)).toBe(days * DAY);
  });

  it('bounds a month by the first seconds of it and of the next month, in UTC', () => {
    const period = monthPeriod('2026-03');

    expect(period.startSecond).toBe(Date.UTC(2026, 2, 1) / 1000);
    expect(period.endSecond).toBe(Date.UTC(2026, 3, 1) / 1000);
  });

  it('crosses years forwards and backwards', () => {
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(monthsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });

  it('takes the UTC month of an instant, whatever the offset it is written with', () => {
    expect(monthOf('2026-03-31T23:59:59.999Z')).toBe('2026-03');
    expect(monthOf('2026-04-01T01:30:00+02:00')).toBe('2026-03');
    expect(monthOf(new Date('2026-04-01T00:00:00.000Z'))).toBe('2026-04');
  });

  it('bills an instant from the whole second it falls in', () => {
    expect(billingSecondOf('2026-03-01T00:00:00.999Z')).toBe(Date.UTC(2026, 2, 1) / 1000);
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', ''])(
    'refuses %j as a month, naming the field',
    (value) => {
      expect(isBillingMonth(value)).toBe(false);
      expect(() => parseBillingMonth(value)).toThrow(InvalidInputError);
      try {
        parseBillingMonth(value);
      } catch (error) {
        expect((error as InvalidInputError).issues).toEqual([
          { path: 'month', message: 'must be a month written YYYY-MM' },
        ]);
      }
    },
  );
});
