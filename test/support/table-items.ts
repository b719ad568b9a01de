import type { Slice } from '../../core/slices/slice.ts';
import type { Snapshot } from '../../core/snapshots/snapshot.ts';

/*
 * Records as the single table stores them, spelled out here rather than by the adapters' own code,
 * so that a test can check what an adapter writes and answer what it reads.
 */

/** A slice as its table item: keys added, the lock in its own top-level attributes. */
export function sliceItem(slice: Slice): Record<string, unknown> {
  const { lock, ...rest } = slice;
  return {
    ...rest,
    pk: `ACCOUNT#${slice.accountId}`,
    sk: `SLICE#${slice.id}`,
    recordKind: 'slice',
    ...(lock
      ? {
          lockOperationId: lock.operationId,
          lockOperationType: lock.operationType,
          lockPower: lock.power,
        }
      : {}),
  };
}

/** A snapshot as its table item: keys added, and those of its slice's index (gsi1). */
export function snapshotItem(snapshot: Snapshot): Record<string, unknown> {
  return {
    ...snapshot,
    pk: `ACCOUNT#${snapshot.accountId}`,
    sk: `SNAPSHOT#${snapshot.id}`,
    gsi1pk: `ACCOUNT#${snapshot.accountId}#SLICE#${snapshot.sliceId}#SNAPSHOTS`,
    gsi1sk: snapshot.id,
    recordKind: 'snapshot',
  };
}
