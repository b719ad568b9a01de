import { failOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { markSnapshotFailed, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotFailedEvent } from '../snapshots/snapshot-events.ts';
import type { SnapshotStatus } from '../snapshots/snapshot-status.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import type { SnapshotStepInput } from './confirm-slice-lock-for-snapshot.ts';
import { getOperation } from './get-operation.ts';
import { changeSnapshot } from './get-snapshot.ts';
import { completeSnapshotRegistration } from './register-snapshot.ts';
import { releaseSliceLock } from './release-slice-lock.ts';

/** The snapshot whose workflow failed, and the error its `Catch` caught. */
export interface FailSnapshotCreationInput extends SnapshotStepInput {
  readonly error: WorkflowError;
}

/** How the snapshot ended: `failed` with the reason users see, or `available` after all. */
export interface SnapshotOutcome {
  readonly status: Extract<SnapshotStatus, 'failed' | 'available'>;
  readonly error: Failure | null;
}

const SNAPSHOT_FAILED: Failure = {
  code: 'SNAPSHOT_FAILED',
  message: 'the snapshot could not be taken',
};

const FAILABLE: readonly SnapshotStatus[] = ['pending', 'capturing', 'uploading'];

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'usage' | 'images' | 'clock'>;

/**
 * create-snapshot's `FailSnapshot`, after the compensation put the slice's power back and discarded
 * the capture. The snapshot becomes `failed` with a reason users can read (it is never billed and
 * never restorable), and the lock is given back if this operation holds it. The operation fails with `Snapshot Failed` in the same write, so the event is
 * emitted once. A snapshot that became available before a later step failed is not failed; its
 * registration is completed instead. Retries repeat nothing.
 */
export async function failSnapshotCreation(
  deps: Deps,
  input: FailSnapshotCreationInput,
): Promise<SnapshotOutcome> {
  const failure = failureOf(input.error, SNAPSHOT_FAILED);
  const snapshot: Snapshot = await changeSnapshot(deps, input, async (current) => {
    if (!FAILABLE.includes(current.status)) return current;
    const failed = markSnapshotFailed(current, failure, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(current, failed);
    return failed;
  });
  if (snapshot.status === 'available') {
    await completeSnapshotRegistration(deps, input, snapshot);
    return { status: 'available', error: null };
  }
  await releaseSliceLock(deps, input);
  const recorded = snapshot.error ?? failure;
  const operation = await getOperation(deps, input);
  if (operation.status !== 'running') return { status: 'failed', error: recorded };
  await deps.operations.update(
    operation,
    failOperation(operation, recorded, toIsoTime(deps.clock.now())),
    { events: [snapshotFailedEvent(snapshot, operation.id, recorded)] },
  );
  return { status: 'failed', error: recorded };
}
