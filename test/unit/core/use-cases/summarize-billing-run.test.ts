import { describe, expect, it } from 'vitest';
import { ALL_BILLING_PARTITIONS } from '../../../../core/billing/partitions.ts';
import {
  type PartitionRunSucceeded,
  summarizeBillingRun,
} from '../../../../core/use-cases/summarize-billing-run.ts';
import { givenPorts } from './support/given-ports.ts';

const given = givenPorts(() => ({}), { now: '2026-04-01T00:20:00.000Z' });

function ran(
  partition: number,
  counts: Partial<PartitionRunSucceeded> = {},
): PartitionRunSucceeded {
  return { partitions: [partition], accounts: 0, unchanged: 0, lines: 0, total: '0.00', ...counts };
}

describe('summarizeBillingRun', () => {
  it('adds up the items and reads the month final once every partition is done', async () => {
    const { ports } = given;
    await ports.charges.recordPartitionsDone('2026-03', ALL_BILLING_PARTITIONS);

    const summary = await summarizeBillingRun(ports, {
      month: '2026-03',
      status: 'final',
      runs: [
        ran(9, { accounts: 2, unchanged: 1, lines: 3, total: '3.26' }),
        ran(2, { accounts: 1, lines: 1, total: '0.99' }),
        ran(4),
      ],
    });

    expect(summary).toEqual({
      month: '2026-03',
      status: 'final',
      partitions: [2, 4, 9],
      accounts: 3,
      unchanged: 1,
      lines: 4,
      total: '4.25',
      monthFinal: true,
      failedPartitions: [],
    });
  });

  it('leaves the month open while a partition is not done, even when every item ran', async () => {
    const { ports } = given;
    await ports.charges.recordPartitionsDone('2026-03', [0, 1, 2]);

    const summary = await summarizeBillingRun(ports, {
      month: '2026-03',
      status: 'final',
      runs: [ran(0), ran(1), ran(2)],
    });

    expect(summary.monthFinal).toBe(false);
    expect(summary.failure).toBeUndefined();
  });

  it('names the partitions that failed and the first error, and counts only what ran', async () => {
    const { ports } = given;
    const summary = await summarizeBillingRun(ports, {
      month: '2026-03',
      status: 'final',
      runs: [
        ran(1, { accounts: 4, lines: 4, total: '8.00' }),
        { partitions: [12], error: { Error: 'BillingRunIncompleteError', Cause: '{}' } },
        { partitions: [3], error: { Error: 'States.Timeout', Cause: null } },
      ],
    });

    expect(summary).toMatchObject({
      partitions: [1, 3, 12],
      accounts: 4,
      total: '8.00',
      monthFinal: false,
      failedPartitions: [3, 12],
    });
    expect(summary.failure).toBe(
      'billing of 2026-03 is incomplete: partition(s) 3, 12 failed after their retries ' +
        '(first error: BillingRunIncompleteError); running the month again completes it',
    );
  });

  it('never reports an estimate as final', async () => {
    const { ports } = given;
    await ports.charges.recordPartitionsDone('2026-04', ALL_BILLING_PARTITIONS);

    const summary = await summarizeBillingRun(ports, {
      month: '2026-04',
      status: 'estimate',
      runs: ALL_BILLING_PARTITIONS.map((partition) => ran(partition)),
    });

    expect(summary.monthFinal).toBe(false);
    expect(summary.partitions).toEqual(ALL_BILLING_PARTITIONS);
  });
});
