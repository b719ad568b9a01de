import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { markSnapshotDeleted, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotDeletedEvent } from '../snapshots/snapshot-events.ts';
import { finishOperation } from './finish-operation.ts';
import { changeSnapshot } from './get-snapshot.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';

/**
 * delete-snapshot's `CompleteSnapshotDeletion`, once its manifest is gone. The snapshot becomes
 * `deleted`, a tombstone that billing still reads and no list shows; the operation succeeds and
 * `Snapshot Deleted` is emitted. Its chunks are still stored: the account's chunk collection
 * reclaims those no other snapshot names later. Retries repeat nothing.
 */
export async function completeSnapshotDeletion(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'clock'>,
  input: SnapshotStepIds,
): Promise<Snapshot> {
  const snapshot = await changeSnapshot(deps, input, async (current) => {
    if (current.status === 'deleted') return current;
    const deleted = markSnapshotDeleted(current, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(current, deleted);
    return deleted;
  });
  await finishOperation(
    deps,
    input,
    { error: null },
    snapshotDeletedEvent(snapshot, input.operationId),
  );
  return snapshot;
}
