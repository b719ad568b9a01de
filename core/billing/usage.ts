import type { Snapshot } from '../snapshots/snapshot.ts';

/**
 * What billing keeps of a snapshot: its billed size and a period it is billed for, from
 * `completedAt` (it became available) until `deletedAt` (deletion was requested, into the recycle
 * bin or for good), and one more period from each recovery out of the recycle bin. Failed
 * snapshots never get one, so they never cost anything; the time in the recycle bin is in none.
 */
export interface BilledUsage {
  readonly accountId: string;
  readonly snapshotId: string;
  /** The snapshot's name when billing started: what the charge lines show. */
  readonly name: string;
  /** Bytes in use on the disk at capture (`sizeBytes`): what is billed. */
  readonly sizeBytes: number;
  /** ISO time billing starts (inclusive). */
  readonly from: string;
  /** ISO time billing stops (exclusive); null while the snapshot is kept. */
  readonly to: string | null;
}

/** One account's usage records, as a billing run reads them. */
export interface AccountUsage {
  readonly accountId: string;
  readonly usage: readonly BilledUsage[];
}

/** The usage record of an available snapshot: billed from its `completedAt` on its `sizeBytes`. */
export function usageOf(snapshot: Snapshot & { completedAt: string }): BilledUsage {
  return {
    accountId: snapshot.accountId,
    snapshotId: snapshot.id,
    name: snapshot.name,
    sizeBytes: snapshot.sizeBytes,
    from: snapshot.completedAt,
    to: snapshot.deletedAt,
  };
}

/** True when some of `[from, to)` falls in `[startIso, endIso)` (ISO strings order as times). */
export function overlapsPeriod(usage: BilledUsage, startIso: string, endIso: string): boolean {
  return usage.from < endIso && (usage.to === null || usage.to > startIso);
}

/**
 * The order billing reads records in: by snapshot id, then by start (a snapshot recovered from the
 * recycle bin has one record per billed period).
 */
export function compareUsage(
  a: Pick<BilledUsage, 'snapshotId' | 'from'>,
  b: Pick<BilledUsage, 'snapshotId' | 'from'>,
): number {
  if (a.snapshotId !== b.snapshotId) return a.snapshotId < b.snapshotId ? -1 : 1;
  return a.from < b.from ? -1 : a.from > b.from ? 1 : 0;
}
