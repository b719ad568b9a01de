import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { markSnapshotFailed } from '../snapshots/snapshot.ts';
import { snapshotFailedEvent } from '../snapshots/snapshot-events.ts';
import type { SnapshotStatus } from '../snapshots/snapshot-status.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';

const FAILABLE: readonly SnapshotStatus[] = ['pending', 'capturing', 'uploading'];

/**
 * A snapshot taken on the way of another operation, and why that operation gives it up. The
 * operation is the one that was taking it: a restore (its undo) or a slice deletion (its final
 * snapshot).
 */
export interface FailKeptSnapshotInput extends SnapshotStepIds {
  readonly error: WorkflowError | null;
}

/**
 * Fails a snapshot that was to keep a slice's disk on the way of another operation (a restore's
 * undo, a deletion's final snapshot), with the reason `error` gives (else `fallback`), and
 * `Snapshot Failed` in the same write. A snapshot that was kept, or has ended already, is left
 * alone. Answers the reason, and whether the snapshot is failed, so that its
 * upload must be cleaned up. Retries repeat nothing.
 */
export async function failKeptSnapshot(
  deps: Pick<Ports, 'snapshots' | 'clock'>,
  input: FailKeptSnapshotInput,
  fallback: Failure,
): Promise<{ readonly reason: Failure; readonly failed: boolean }> {
  const reason = input.error ? failureOf(input.error, fallback) : fallback;
  const failed = await retryOnConflict(async () => {
    const current = await deps.snapshots.get(input.accountId, input.snapshotId);
    if (!current) return false;
    if (!FAILABLE.includes(current.status)) return current.status === 'failed';
    const next = markSnapshotFailed(current, reason, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(current, next, {
      events: [snapshotFailedEvent(next, input.operationId, reason)],
    });
    return true;
  });
  return { reason, failed };
}
