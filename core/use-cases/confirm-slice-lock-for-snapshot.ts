import { SliceNotPlacedError } from '../hosts/host-errors.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import type { Slice } from '../slices/slice.ts';
import type { PowerState } from '../slices/slice-status.ts';
import { BASE_SNAPSHOT_SEARCH } from '../snapshots/create-snapshot-limits.ts';
import { type Snapshot, startCapture } from '../snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../snapshots/snapshot-errors.ts';
import { changeSnapshot, getSnapshot } from './get-snapshot.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';

/** The snapshot whose workflow starts, its slice and its operation. */
export interface SnapshotStepInput extends SnapshotStepIds {
  readonly sliceId: string;
}

/** What the rest of the workflow needs to know about the locked slice. */
export interface SnapshotLock {
  /** The host holding the slice's disk: every agent step goes there. */
  readonly hostId: string;
  /** The power state when the lock was taken: what any failure puts back. */
  readonly power: PowerState;
  /** The snapshot asks for a powered-off capture and the slice runs: power it off first. */
  readonly powerOffFirst: boolean;
  /** Snapshots whose chunks the upload may take as stored (the slice's latest, its source). */
  readonly baseSnapshotIds: readonly string[];
  /** When the lock was confirmed: the start of any downtime. */
  readonly lockedAt: string;
}

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'clock'>;

/**
 * The slice's latest available snapshot and the one it was made from (if still available): their
 * chunks are known stored, so an incremental upload need not ask the store about them. The
 * snapshot being taken (`snapshotId`) is never its own base; a quote has none being taken.
 */
export async function baseSnapshotsOf(
  deps: Pick<Ports, 'snapshots'>,
  slice: Slice,
  snapshotId: string | null = null,
): Promise<string[]> {
  const bases: string[] = [];
  const recent = await deps.snapshots.list(
    slice.accountId,
    { sliceId: slice.id },
    { limit: BASE_SNAPSHOT_SEARCH },
  );
  const latest = recent.items.find((each) => each.status === 'available' && each.id !== snapshotId);
  if (latest) bases.push(latest.id);
  if (slice.fromSnapshotId && slice.fromSnapshotId !== latest?.id) {
    const source = await deps.snapshots.get(slice.accountId, slice.fromSnapshotId);
    if (source?.status === 'available') bases.push(source.id);
  }
  return bases;
}

/**
 * create-snapshot's `ConfirmSliceLock`: confirms the lock the request took (taking it again is a
 * no-op for its holder; a slice deleted, busy with another operation or unknown fails here),
 * picks the snapshots the upload builds on, and moves the snapshot to `capturing`.
 * A retried step repeats nothing that is done.
 */
export async function confirmSliceLockForSnapshot(
  deps: Deps,
  input: SnapshotStepInput,
): Promise<SnapshotLock> {
  const lockedAt = toIsoTime(deps.clock.now());
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status !== 'pending' && snapshot.status !== 'capturing') {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, 'capturing');
  }
  const slice = await deps.slices.acquireLock({
    accountId: input.accountId,
    sliceId: input.sliceId,
    operationId: input.operationId,
    operationType: 'snapshot.create',
    now: lockedAt,
  });
  if (slice.hostId === null) throw new SliceNotPlacedError(slice.id);
  const power = slice.lock?.power ?? slice.power;
  const baseSnapshotIds = await baseSnapshotsOf(deps, slice, snapshot.id);
  await changeSnapshot(deps, input, async (current: Snapshot) => {
    if (current.status !== 'pending') return;
    await deps.snapshots.update(current, startCapture(current, lockedAt));
  });
  return {
    hostId: slice.hostId,
    power,
    powerOffFirst: snapshot.powerOff && power === 'on',
    baseSnapshotIds,
    lockedAt,
  };
}
