import { describe, expect, it } from 'vitest';
import {
  IllegalSnapshotTransitionError,
  SnapshotNotAvailableError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { getMonthlyCharges } from '../../../../core/use-cases/get-monthly-charges.ts';
import { startBilling } from '../../../../core/use-cases/start-billing.ts';
import { stopBilling } from '../../../../core/use-cases/stop-billing.ts';
import {
  aFailedSnapshot,
  anAvailableSnapshot,
  deletionRequested,
} from '../../../support/records.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';

const given = givenPorts(() => ({}), { now: '2026-03-31T12:00:00.000Z' });

describe('startBilling', () => {
  it('bills an available snapshot from its completedAt on its size', async () => {
    const { ports } = given;
    const snapshot = anAvailableSnapshot({
      accountId: ACCOUNT,
      completedAt: '2026-03-02T10:00:00.000Z',
      name: 'before upgrade',
    });

    const usage = await startBilling(ports, snapshot);

    expect(usage).toEqual({
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      name: 'before upgrade',
      sizeBytes: snapshot.sizeBytes,
      from: '2026-03-02T10:00:00.000Z',
      to: null,
    });
    expect(await ports.usage.forAccount(ACCOUNT, '2026-03')).toEqual([usage]);
  });

  it('changes nothing when called again for the same snapshot', async () => {
    const { ports } = given;
    const snapshot = anAvailableSnapshot({
      accountId: ACCOUNT,
      completedAt: '2026-03-02T10:00:00.000Z',
    });
    await startBilling(ports, snapshot);

    await startBilling(ports, { ...snapshot, completedAt: '2026-03-05T00:00:00.000Z' });

    expect((await ports.usage.forAccount(ACCOUNT, '2026-03')).map((usage) => usage.from)).toEqual([
      '2026-03-02T10:00:00.000Z',
    ]);
  });

  it('refuses a failed snapshot, which therefore costs nothing', async () => {
    const { ports } = given;
    const failed = aFailedSnapshot({ accountId: ACCOUNT }, '2026-03-02T10:00:00.000Z');

    await expect(startBilling(ports, failed)).rejects.toThrow(SnapshotNotAvailableError);

    const charges = await getMonthlyCharges(ports, { accountId: ACCOUNT, month: '2026-03' });
    expect(charges.lines).toEqual([]);
    expect(charges.totalCents).toBe(0n);
  });
});

describe('stopBilling', () => {
  /** An available snapshot completed at the start of March and billed from then. */
  async function aBilledSnapshot() {
    const snapshot = anAvailableSnapshot({
      accountId: ACCOUNT,
      completedAt: '2026-03-01T00:00:00.000Z',
    });
    await startBilling(given.ports, snapshot);
    return snapshot;
  }

  /** When the billing of that snapshot stops: null while it goes on. */
  async function billedUntil(): Promise<string | null | undefined> {
    const [usage] = await given.ports.usage.forAccount(ACCOUNT, '2026-03');
    return usage?.to;
  }

  it('stops billing at the second deletion was requested', async () => {
    const { ports } = given;
    const snapshot = await aBilledSnapshot();

    await stopBilling(ports, deletionRequested(snapshot, '2026-03-16T00:00:00.000Z'));

    expect(await billedUntil()).toBe('2026-03-16T00:00:00.000Z');
  });

  it('keeps the first stop when called again', async () => {
    const { ports } = given;
    const snapshot = await aBilledSnapshot();
    await stopBilling(ports, deletionRequested(snapshot, '2026-03-16T00:00:00.000Z'));

    await stopBilling(ports, deletionRequested(snapshot, '2026-03-20T00:00:00.000Z'));

    expect(await billedUntil()).toBe('2026-03-16T00:00:00.000Z');
  });

  it('refuses a snapshot whose deletion was not requested, and bills on', async () => {
    const { ports } = given;
    const snapshot = await aBilledSnapshot();

    await expect(stopBilling(ports, snapshot)).rejects.toThrow(IllegalSnapshotTransitionError);

    expect(await billedUntil()).toBeNull();
  });
});
