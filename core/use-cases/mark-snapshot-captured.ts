import { startOperationTransfer } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import type { PowerState } from '../slices/slice-status.ts';
import { markCaptured, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotCapturedEvent } from '../snapshots/snapshot-events.ts';
import type { CaptureShutdown, SnapshotConsistency } from '../snapshots/snapshot-status.ts';
import type { SnapshotStepInput } from './confirm-slice-lock-for-snapshot.ts';
import { changeOperation } from './get-operation.ts';
import { changeSnapshot } from './get-snapshot.ts';

/** The capture point, as the capture step and the lock step report it. */
export interface MarkSnapshotCapturedInput extends SnapshotStepInput {
  /** The slice's power state at the capture point (the agent's capture result). */
  readonly capturePower: PowerState;
  /** The workflow powered the slice off for the capture (and has powered it on again). */
  readonly poweredOff: boolean;
  /** When the lock step ran: the slice went down from then on, if it was powered off. */
  readonly lockedAt: string;
  /** How the guest went down, as the power-off step reported it (`none` if it did not run). */
  readonly shutdown?: CaptureShutdown;
  /** The guest's filesystems were frozen at the capture point. */
  readonly frozen?: boolean;
  /** The capture copied only the blocks written since a base snapshot's capture. */
  readonly changedBlockTracking?: boolean;
}

function consistencyOf(input: MarkSnapshotCapturedInput): SnapshotConsistency {
  if (input.capturePower === 'off') return 'powered-off';
  return input.frozen ? 'fs-frozen' : 'crash-consistent';
}

/**
 * create-snapshot's `MarkCaptured`, once the slice is back in its previous power state. The
 * snapshot becomes `uploading` and records its consistency, how it was captured (`captureInfo`) and
 * its downtime. The consistency is `powered-off` when the capture point was taken with the slice
 * off, `fs-frozen` when a guest agent froze its filesystems, and `crash-consistent` otherwise; the
 * downtime runs from the lock step to now when the workflow powered the slice off, and is 0 when it
 * never went off. The operation's transfer starts and `Snapshot Captured` is emitted once: a
 * retried step changes nothing and emits nothing once the snapshot is uploading.
 */
export async function markSnapshotCaptured(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'clock'>,
  input: MarkSnapshotCapturedInput,
): Promise<Snapshot> {
  const captured = await changeSnapshot(deps, input, async (current) => {
    if (current.status !== 'capturing') return { snapshot: current, changed: false };
    const next = markCaptured(
      current,
      {
        consistency: consistencyOf(input),
        poweredOffAt: input.poweredOff ? input.lockedAt : null,
        shutdown: input.shutdown ?? 'none',
        changedBlockTracking: input.changedBlockTracking ?? false,
      },
      toIsoTime(deps.clock.now()),
    );
    // Written with the change it tells of: a retry after the write finds the snapshot uploading
    // and emits nothing again.
    await deps.snapshots.update(current, next, {
      events: [snapshotCapturedEvent(next, input.operationId)],
    });
    return { snapshot: next, changed: true };
  });
  if (captured.changed) {
    await changeOperation(deps, input, async (operation) => {
      if (operation.status !== 'running' || operation.progress.startedAt !== null) return;
      const started = startOperationTransfer(operation, toIsoTime(deps.clock.now()));
      await deps.operations.update(operation, started);
    });
  }
  return captured.snapshot;
}
