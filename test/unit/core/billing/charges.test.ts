import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isoOfSecond,
  monthPeriod,
  secondsInMonth,
} from '../../../../core/billing/billing-month.ts';
import {
  billingWindow,
  chargeLineFor,
  computeMonthlyCharges,
} from '../../../../core/billing/charges.ts';
import { monthlyCostOf } from '../../../../core/billing/monthly-cost.ts';
import type { BilledUsage } from '../../../../core/billing/usage.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';

const GIB = BYTES_PER_GIB;
const DAY = 86_400;
const ACCOUNT = 'acct-1';

function usage(overrides: Partial<BilledUsage> & Pick<BilledUsage, 'from'>): BilledUsage {
  return {
    accountId: ACCOUNT,
    snapshotId: 'snp_01JNZ5Y1Q0000000000000000A',
    name: 'nightly',
    sizeBytes: 40 * GIB,
    to: null,
    ...overrides,
  };
}

function finalCharges(records: readonly BilledUsage[], month: string) {
  return computeMonthlyCharges(ACCOUNT, records, billingWindow(month), 'final');
}

function amountsOf(charges: ReturnType<typeof finalCharges>) {
  return charges.lines.map((line) => [line.from, line.to, line.cents]);
}

describe('monthly charges', () => {
  it('charges exactly 2.00 for 40 GiB used on a 100 GB disk, held all month', () => {
    const snapshot = usage({ sizeBytes: 40 * GIB, from: '2026-02-20T08:00:00.000Z' });

    const charges = finalCharges([snapshot], '2026-03');

    expect(charges.totalCents).toBe(200n);
    expect(charges.lines).toEqual([
      {
        snapshotId: snapshot.snapshotId,
        name: 'nightly',
        sizeBytes: 40 * GIB,
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        byteSeconds: BigInt(40 * GIB) * BigInt(31 * DAY),
        cents: 200n,
      },
    ]);
  });

  it('charges 1.00 for 40 GiB held half of a 30-day month', () => {
    const snapshot = usage({ from: '2026-04-01T00:00:00.000Z', to: '2026-04-16T00:00:00.000Z' });

    const charges = finalCharges([snapshot], '2026-04');

    expect(charges.totalCents).toBe(100n);
  });

  it('charges the one second of a snapshot deleted one second after it became available', () => {
    const snapshot = usage({
      sizeBytes: 16_384 * GIB,
      from: '2026-03-10T12:00:00.400Z',
      to: '2026-03-10T12:00:01.700Z',
    });

    const charges = finalCharges([snapshot], '2026-03');

    expect(charges.lines).toHaveLength(1);
    expect(charges.lines[0]).toMatchObject({
      from: '2026-03-10T12:00:00.000Z',
      to: '2026-03-10T12:00:01.000Z',
      byteSeconds: BigInt(16_384 * GIB),
      cents: 0n,
    });
    expect(charges.totalCents).toBe(0n);
  });

  it('writes line times as UTC whole seconds, whatever form the record times take', () => {
    const snapshot = usage({
      from: '2026-03-10T13:00:00.400+01:00',
      to: '2026-03-12T00:00:07.250Z',
    });

    const [line] = finalCharges([snapshot], '2026-03').lines;

    expect([line?.from, line?.to]).toEqual([
      '2026-03-10T12:00:00.000Z',
      '2026-03-12T00:00:07.000Z',
    ]);
  });

  it('charges nothing for a snapshot deleted within the second it became available', () => {
    const snapshot = usage({ from: '2026-03-10T12:00:00.100Z', to: '2026-03-10T12:00:00.900Z' });

    expect(finalCharges([snapshot], '2026-03').lines).toEqual([]);
  });

  it('prices February of a leap year over its 29 days', () => {
    const fullMonth = usage({ from: '2024-01-01T00:00:00.000Z' });
    const oneDay = (year: number) =>
      usage({
        sizeBytes: 400 * GIB,
        from: `${year}-02-10T00:00:00.000Z`,
        to: `${year}-02-11T00:00:00.000Z`,
      });

    const leap = finalCharges([fullMonth], '2024-02');
    const leapDay = finalCharges([oneDay(2024)], '2024-02');
    const commonDay = finalCharges([oneDay(2023)], '2023-02');

    expect(leap.totalCents).toBe(200n);
    expect(leap.lines[0]?.to).toBe('2024-03-01T00:00:00.000Z');
    expect(leap.lines[0]?.byteSeconds).toBe(BigInt(40 * GIB) * BigInt(29 * DAY));
    // 20.00 a month: a day is 20/29 = 0.689… in a leap February, 20/28 = 0.714… otherwise.
    expect(leapDay.totalCents).toBe(69n);
    expect(commonDay.totalCents).toBe(71n);
  });

  it('splits a snapshot spanning months across them, each at its own month length', () => {
    const snapshot = usage({ from: '2026-01-15T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' });

    const byMonth = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04'].map((month) =>
      amountsOf(finalCharges([snapshot], month)),
    );

    expect(byMonth).toEqual([
      [],
      // 17 of 31 days of 2.00 = 1.0967…
      [['2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 110n]],
      [['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 200n]],
      // 9 of 31 days of 2.00 = 0.5806…
      [['2026-03-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z', 58n]],
      [],
    ]);
  });

  it('rounds a line half-up to the cent, once', () => {
    // 1 GiB for a tenth of a 30-day month is exactly half a cent.
    const tenth = 3 * DAY;
    const exactHalf = usage({
      sizeBytes: GIB,
      from: '2026-04-01T00:00:00.000Z',
      to: isoOfSecond(monthPeriod('2026-04').startSecond + tenth),
    });
    const justUnder = {
      ...exactHalf,
      to: isoOfSecond(monthPeriod('2026-04').startSecond + tenth - 1),
    };

    expect(finalCharges([exactHalf], '2026-04').totalCents).toBe(1n);
    expect(finalCharges([justUnder], '2026-04').totalCents).toBe(0n);
  });

  it('totals the rounded lines, ordered by snapshot id', () => {
    const a = usage({
      snapshotId: 'snp_B',
      sizeBytes: GIB,
      from: '2026-04-01T00:00:00.000Z',
      to: '2026-04-04T00:00:00.000Z',
    });
    const b = { ...a, snapshotId: 'snp_A' };

    const charges = finalCharges([a, b], '2026-04');

    // Each line is half a cent rounded up: the total is 2 cents, not the 1 cent of their sum.
    expect(charges.lines.map((line) => [line.snapshotId, line.cents])).toEqual([
      ['snp_A', 1n],
      ['snp_B', 1n],
    ]);
    expect(charges.totalCents).toBe(2n);
  });

  it('estimates the month to date up to the given instant', () => {
    const snapshot = usage({ from: '2026-03-20T00:00:00.000Z' });

    const charges = computeMonthlyCharges(
      ACCOUNT,
      [snapshot],
      billingWindow('2026-04', '2026-04-16T00:00:00.500Z'),
      'estimate',
    );

    expect(charges.status).toBe('estimate');
    expect(charges.asOf).toBe('2026-04-16T00:00:00.000Z');
    expect(amountsOf(charges)).toEqual([
      ['2026-04-01T00:00:00.000Z', '2026-04-16T00:00:00.000Z', 100n],
    ]);
  });
});

const MONTH = fc
  .record({ year: fc.integer({ min: 1970, max: 2400 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);
const SIZE = fc.integer({ min: 0, max: 16_384 * GIB });

describe('monthly charges, for any month, size and period', () => {
  it('changes by no more than the rounding of the extra lines when a period is split', () => {
    fc.assert(
      fc.property(
        MONTH,
        SIZE,
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }),
        (month, sizeBytes, fractions) => {
          const { startSecond } = monthPeriod(month);
          const length = secondsInMonth(month);
          const cuts = [
            ...new Set(fractions.map((f) => startSecond + Math.round(f * length))),
          ].sort((a, b) => a - b);
          fc.pre(cuts.length >= 2);
          const first = cuts[0] as number;
          const last = cuts.at(-1) as number;
          const whole = usage({ sizeBytes, from: isoOfSecond(first), to: isoOfSecond(last) });
          const pieces = cuts.slice(1).map((end, index) =>
            usage({
              snapshotId: `snp_${index}`,
              sizeBytes,
              from: isoOfSecond(cuts[index] as number),
              to: isoOfSecond(end),
            }),
          );

          const one = finalCharges([whole], month);
          const split = finalCharges(pieces, month);

          const exactOne = one.lines.reduce((sum, line) => sum + line.byteSeconds, 0n);
          const exactSplit = split.lines.reduce((sum, line) => sum + line.byteSeconds, 0n);
          const difference = split.totalCents - one.totalCents;
          const k = BigInt(pieces.length);
          // Each rounding is within half a cent: k pieces against one line differ by under (k+1)/2.
          return exactSplit === exactOne && 2n * (difference < 0n ? -difference : difference) <= k;
        },
      ),
    );
  });

  it('is never negative and never more than a full month of the size', () => {
    fc.assert(
      fc.property(
        MONTH,
        SIZE,
        fc.integer({ min: -70 * DAY, max: 70 * DAY }),
        fc.option(fc.integer({ min: 0, max: 140 * DAY })),
        fc.option(fc.integer({ min: 0, max: 32 * DAY })),
        (month, sizeBytes, startOffset, duration, untilOffset) => {
          const { startSecond } = monthPeriod(month);
          const from = startSecond + startOffset;
          const record = usage({
            sizeBytes,
            from: isoOfSecond(from),
            to: duration === null ? null : isoOfSecond(from + duration),
          });
          const window = billingWindow(
            month,
            untilOffset === null ? undefined : isoOfSecond(startSecond + untilOffset),
          );

          const line = chargeLineFor(record, window);

          const fullMonth = BigInt(monthlyCostOf(sizeBytes).amount.replace('.', ''));
          return line === null || (line.cents >= 0n && line.cents <= fullMonth);
        },
      ),
    );
  });

  it('prices a full month of any size as monthlyCost does', () => {
    fc.assert(
      fc.property(MONTH, SIZE, (month, sizeBytes) => {
        const { startSecond } = monthPeriod(month);
        const heldAllMonth = usage({ sizeBytes, from: isoOfSecond(startSecond - DAY) });

        const charges = finalCharges([heldAllMonth], month);

        return charges.totalCents === BigInt(monthlyCostOf(sizeBytes).amount.replace('.', ''));
      }),
    );
  });
});
