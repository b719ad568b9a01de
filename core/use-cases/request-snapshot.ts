import { type Labels, parseLabels } from '../labels/labels.ts';
import { failOperation, newOperation, type Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { parseName } from '../shared/names.ts';
import { toIsoTime } from '../shared/time.ts';
import { SliceNotFoundError } from '../slices/slice-errors.ts';
import { markSnapshotFailed, newSnapshot, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotFailedEvent, snapshotRequestedEvent } from '../snapshots/snapshot-events.ts';
import { defaultSnapshotName } from '../snapshots/snapshot-name.ts';
import { getSlice } from './get-slice.ts';

/** What `POST /v1/slices/{id}/snapshots` asks for, in the caller's account. */
export interface RequestSnapshotInput {
  readonly accountId: string;
  readonly sliceId: string;
  /** Default: `<slice name>-<unix seconds>`. */
  readonly name?: string | null;
  /** Power the slice off for the capture (a powered-off, consistent image); default true. */
  readonly powerOff?: boolean | null;
  /** The new snapshot's labels; none by default. */
  readonly labels?: Labels | null;
  /** The snapshot policy taking it, on a policy's run; null for a user's request. */
  readonly policyId?: string | null;
}

/** The new snapshot (`pending`, its id final) and the operation that takes it. */
export interface RequestSnapshotResult {
  readonly snapshot: Snapshot;
  readonly operation: Operation;
}

const START_FAILED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the snapshot could not be started',
};

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'workflows' | 'clock' | 'ids'>;

/**
 * Requests a snapshot of an active slice. The slice's lock is taken before anything else, so a
 * second operation is refused at once with SliceBusyError naming the one in the way. Then the
 * snapshot is stored `pending` with a running `snapshot.create` operation and `Snapshot Requested`
 * (one write), and the create-snapshot workflow starts, named after the operation. A deleted or
 * unknown slice is SliceNotFoundError. If anything after the lock fails, the lock is given back; if
 * the workflow cannot start, the snapshot and its operation are marked failed and `Snapshot Failed`
 * says so.
 */
export async function requestSnapshot(
  deps: Deps,
  input: RequestSnapshotInput,
): Promise<RequestSnapshotResult> {
  const name = input.name == null ? null : parseName(input.name);
  const labels = input.labels == null ? undefined : parseLabels(input.labels);
  const found = await getSlice(deps, input);
  if (found.status === 'deleted') throw new SliceNotFoundError(input.sliceId);
  const requestedAt = deps.clock.now();
  const now = toIsoTime(requestedAt);
  const operationId = deps.ids.next('operation');
  const slice = await deps.slices.acquireLock({
    accountId: input.accountId,
    sliceId: found.id,
    operationId,
    operationType: 'snapshot.create',
    now,
  });
  const snapshot = newSnapshot({
    id: deps.ids.next('snapshot'),
    accountId: input.accountId,
    name: name ?? defaultSnapshotName(slice.name, requestedAt),
    slice,
    powerOff: input.powerOff ?? true,
    labels,
    policyId: input.policyId ?? null,
    now,
  });
  const operation = newOperation({
    id: operationId,
    accountId: input.accountId,
    type: 'snapshot.create',
    resourceId: snapshot.id,
    bytesTotal: slice.usedBytes,
    now,
  });
  const ids = { accountId: input.accountId, snapshotId: snapshot.id, sliceId: slice.id };
  let stored = false;
  try {
    await deps.snapshots.create(snapshot);
    stored = true;
    await deps.operations.create(operation, {
      events: [snapshotRequestedEvent(snapshot, operationId)],
    });
  } catch (error) {
    await deps.slices.releaseLock({
      accountId: input.accountId,
      sliceId: slice.id,
      operationId,
      now,
    });
    // Never left pending for good: nothing will ever take it.
    if (stored)
      await deps.snapshots.update(snapshot, markSnapshotFailed(snapshot, START_FAILED, now));
    throw error;
  }
  try {
    await deps.workflows.start('create-snapshot', { ...ids, operationId });
  } catch (error) {
    const failedAt = toIsoTime(deps.clock.now());
    const release = { accountId: input.accountId, sliceId: slice.id, operationId, now: failedAt };
    await deps.slices.releaseLock(release);
    await deps.snapshots.update(snapshot, markSnapshotFailed(snapshot, START_FAILED, failedAt));
    await deps.operations.update(operation, failOperation(operation, START_FAILED, failedAt), {
      events: [snapshotFailedEvent(snapshot, operationId, START_FAILED)],
    });
    throw error;
  }
  return { snapshot, operation };
}
