import { type Operation, recordOperationProgress } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { isProgressWriteDue } from '../progress/transfer-progress.ts';
import { ConcurrentModificationError } from '../shared/persistence-errors.ts';
import { toIsoTime } from '../shared/time.ts';
import { recordUploadProgress, type Snapshot } from '../snapshots/snapshot.ts';

/** A heartbeat's measurement of the command it reports on. */
export interface CommandProgress {
  readonly taskToken: string;
  /** The host whose agent sent it (authenticated): only that host reports on its commands. */
  readonly hostId: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

type Deps = Pick<Ports, 'commandContexts' | 'snapshots' | 'operations' | 'clock'>;

/** Writes unless another write won the race: progress is a measurement, the next one follows. */
async function writeUnlessRaced(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConcurrentModificationError) return false;
    throw error;
  }
}

/**
 * Shows a heartbeat's progress on the operation and the snapshot its command works for, at most
 * one write per record every PROGRESS_WRITE_INTERVAL_MS (faster heartbeats are dropped: the next
 * one carries newer figures). Nothing is written for a command without a recorded context, for a
 * host other than the one it was sent to, or for records no longer transferring. Answers how many
 * records were written.
 */
export async function recordCommandProgress(deps: Deps, input: CommandProgress): Promise<number> {
  const context = await deps.commandContexts.find(input.taskToken);
  if (!context || context.hostId !== input.hostId) return 0;
  const now = toIsoTime(deps.clock.now());
  let written = 0;
  if (context.snapshotId) {
    const snapshot: Snapshot | null = await deps.snapshots.get(
      context.accountId,
      context.snapshotId,
    );
    // The operation's progress is written with the snapshot's: when the snapshot's is not due,
    // neither is the operation's, and it need not even be read.
    if (snapshot?.status !== 'uploading' || !isProgressWriteDue(snapshot.progress, now)) return 0;
    const next = recordUploadProgress(snapshot, input.bytesDone, now, input.bytesTotal);
    if (await writeUnlessRaced(() => deps.snapshots.update(snapshot, next))) written += 1;
  }
  const operation: Operation | null = await deps.operations.get(
    context.accountId,
    context.operationId,
  );
  // Beside a snapshot, the snapshot's last write decided: both show the same measurement.
  const due = context.snapshotId !== null || isProgressWriteDue(operation?.progress ?? null, now);
  if (operation?.status === 'running' && due) {
    const next = recordOperationProgress(operation, input.bytesDone, now, input.bytesTotal);
    if (await writeUnlessRaced(() => deps.operations.update(operation, next))) written += 1;
  }
  return written;
}
