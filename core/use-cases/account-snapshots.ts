import { monthOf } from '../billing/billing-month.ts';
import { billingWindow, chargeLineFor } from '../billing/charges.ts';
import type { Ports } from '../ports/ports.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { NOT_ACCOUNTED, type SnapshotAccounting } from '../storage/account-storage.ts';

/**
 * The accounting of some snapshots of one account, by snapshot id: each one's figures from the
 * account's latest mark pass, and its charges of the current month up to now, priced exactly as
 * `GET /v1/billing/charges` prices them (the sum of its lines). Two reads of the account's own
 * records, whatever the number of snapshots; none of usage when no snapshot was ever billed.
 */
export async function accountSnapshots(
  deps: Pick<Ports, 'storage' | 'usage' | 'clock'>,
  accountId: string,
  snapshots: readonly Snapshot[],
): Promise<ReadonlyMap<string, SnapshotAccounting>> {
  const now = deps.clock.now();
  const billed = snapshots.some((snapshot) => snapshot.completedAt !== null);
  const [storage, usage] = await Promise.all([
    deps.storage.get(accountId),
    billed ? deps.usage.forAccount(accountId, monthOf(now)) : Promise.resolve([]),
  ]);
  const window = billingWindow(monthOf(now), now);
  const cents = new Map<string, bigint>();
  for (const record of usage) {
    const line = chargeLineFor(record, window);
    if (line) cents.set(line.snapshotId, (cents.get(line.snapshotId) ?? 0n) + line.cents);
  }
  return new Map(
    snapshots.map((snapshot) => [
      snapshot.id,
      {
        storage: storage?.snapshots[snapshot.id] ?? null,
        costToDateCents: cents.get(snapshot.id) ?? 0n,
      },
    ]),
  );
}

/** The accounting of one snapshot, as {@link accountSnapshots} gives it. */
export async function accountSnapshot(
  deps: Pick<Ports, 'storage' | 'usage' | 'clock'>,
  snapshot: Snapshot,
): Promise<SnapshotAccounting> {
  const accounting = await accountSnapshots(deps, snapshot.accountId, [snapshot]);
  return accounting.get(snapshot.id) ?? NOT_ACCOUNTED;
}
