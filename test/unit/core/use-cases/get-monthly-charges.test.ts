import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { FutureBillingMonthError } from '../../../../core/billing/billing-errors.ts';
import { ALL_BILLING_PARTITIONS } from '../../../../core/billing/partitions.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { getMonthlyCharges } from '../../../../core/use-cases/get-monthly-charges.ts';
import { runBilling } from '../../../../core/use-cases/run-billing.ts';
import { startBilling } from '../../../../core/use-cases/start-billing.ts';
import { stopBilling } from '../../../../core/use-cases/stop-billing.ts';
import { anAvailableSnapshot, deletionRequested } from '../../../support/records.ts';

const ALICE = 'acct-alice';
const BOB = 'acct-bob';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts({ now: '2026-04-16T00:00:00.000Z' });
});

/** Bills an available snapshot of Alice's from `completedAt`. */
function billAlice(completedAt: string) {
  return startBilling(ports, anAvailableSnapshot({ accountId: ALICE, completedAt }));
}

describe('getMonthlyCharges', () => {
  it('estimates the current month to date, live, including a snapshot taken a moment ago', async () => {
    await billAlice('2026-03-20T00:00:00.000Z');
    const fresh = anAvailableSnapshot({
      accountId: ALICE,
      completedAt: '2026-04-15T23:59:00.000Z',
      sizeBytes: BYTES_PER_GIB,
    });
    await startBilling(ports, fresh);

    const charges = await getMonthlyCharges(ports, { accountId: ALICE });

    expect(charges).toMatchObject({ month: '2026-04', status: 'estimate', totalCents: 100n });
    expect(charges.lines.map((line) => [line.snapshotId, line.to])).toContainEqual([
      fresh.id,
      '2026-04-16T00:00:00.000Z',
    ]);
    expect(charges.lines).toHaveLength(2);
  });

  it.each([
    {
      title: 'shows only the caller account: another account sees none of its lines',
      accountId: BOB,
      month: '2026-04',
    },
    {
      title: 'answers a month before the account had snapshots with no lines and a zero total',
      accountId: ALICE,
      month: '2025-11',
    },
  ])('$title', async ({ accountId, month }) => {
    await billAlice('2026-03-20T00:00:00.000Z');

    const charges = await getMonthlyCharges(ports, { accountId, month });

    expect(charges.lines).toEqual([]);
    expect(charges.totalCents).toBe(0n);
  });

  it('answers the stored final charges of a closed month', async () => {
    const snapshot = anAvailableSnapshot({
      accountId: ALICE,
      completedAt: '2026-02-20T00:00:00.000Z',
    });
    await startBilling(ports, snapshot);
    ports.clock.set('2026-04-01T00:15:00.000Z');
    await runBilling(ports);
    const stored = await ports.charges.get(ALICE, '2026-03');
    await stopBilling(ports, deletionRequested(snapshot, '2026-04-02T00:00:00.000Z'));
    ports.clock.set('2026-04-16T00:00:00.000Z');

    const charges = await getMonthlyCharges(ports, { accountId: ALICE, month: '2026-03' });

    expect(charges).toMatchObject({ status: 'final', totalCents: 200n });
    expect(charges.lines).toEqual(stored?.lines);
  });

  it('answers a closed month in which the account had nothing as final, with no lines', async () => {
    await ports.charges.recordPartitionsDone('2026-03', ALL_BILLING_PARTITIONS);

    const charges = await getMonthlyCharges(ports, { accountId: BOB, month: '2026-03' });

    expect(charges).toMatchObject({ status: 'final', lines: [], totalCents: 0n });
  });

  it('estimates a past month that is not closed yet over the whole month', async () => {
    await billAlice('2026-02-20T00:00:00.000Z');

    const charges = await getMonthlyCharges(ports, { accountId: ALICE, month: '2026-03' });

    expect(charges).toMatchObject({
      status: 'estimate',
      asOf: '2026-04-01T00:00:00.000Z',
      totalCents: 200n,
    });
  });

  it('refuses a month that has not begun, naming the month', async () => {
    const asking = getMonthlyCharges(ports, { accountId: ALICE, month: '2026-05' });

    await expect(asking).rejects.toThrow(FutureBillingMonthError);
    await expect(asking).rejects.toMatchObject({
      code: 'BILLING_MONTH_NOT_BEGUN',
      issues: [{ path: 'month', message: '2026-05 has not begun: the current month is 2026-04' }],
    });
  });
});
