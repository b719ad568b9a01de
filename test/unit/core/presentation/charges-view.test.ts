import { describe, expect, it } from 'vitest';
import type { MonthlyCharges } from '../../../../core/billing/charges.ts';
import { viewCharges } from '../../../../core/presentation/charges-view.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';

/** The charges of March, estimated on the 10th with nothing billed, with `changes` over them. */
function aMonth(changes: Partial<MonthlyCharges> = {}): MonthlyCharges {
  return {
    accountId: 'acct-1',
    month: '2026-03',
    status: 'estimate',
    asOf: '2026-03-10T00:00:00.000Z',
    lines: [],
    totalCents: 0n,
    ...changes,
  };
}

describe('viewCharges', () => {
  it('shows amounts as decimal strings, sizes in GiB, and the rate', () => {
    const charges = aMonth({
      status: 'final',
      asOf: '2026-04-01T00:00:00.000Z',
      lines: [
        {
          snapshotId: 'snp_01JNZ5Y1Q0000000000000000A',
          name: 'nightly',
          sizeBytes: 40 * BYTES_PER_GIB,
          from: '2026-03-01T00:00:00.000Z',
          to: '2026-04-01T00:00:00.000Z',
          byteSeconds: 1n,
          cents: 200n,
        },
      ],
      totalCents: 200n,
    });

    expect(viewCharges(charges)).toEqual({
      month: '2026-03',
      status: 'final',
      currency: 'USD',
      ratePerGBMonth: '0.05',
      lines: [
        {
          snapshotId: 'snp_01JNZ5Y1Q0000000000000000A',
          name: 'nightly',
          sizeGB: 40,
          from: '2026-03-01T00:00:00.000Z',
          to: '2026-04-01T00:00:00.000Z',
          amount: '2.00',
        },
      ],
      total: '2.00',
    });
  });

  it('shows a month with nothing as no lines and a total of "0.00"', () => {
    expect(viewCharges(aMonth())).toMatchObject({ lines: [], total: '0.00' });
  });
});
