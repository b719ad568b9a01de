import { newOperation, type Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { UnknownRegionError } from '../regions/region-errors.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { newSnapshotCopy, type Snapshot } from '../snapshots/snapshot.ts';
import {
  SnapshotAlreadyInRegionError,
  SnapshotCorruptError,
  SnapshotNotAvailableError,
} from '../snapshots/snapshot-errors.ts';
import { endFailedCopy } from './finish-snapshot-copy.ts';
import { getSnapshot } from './get-snapshot.ts';
import { registerSnapshotReader } from './snapshot-readers.ts';

export interface SnapshotCopyRequest {
  readonly accountId: string;
  /** The snapshot to copy. */
  readonly snapshotId: string;
  /** The region the copy goes to: served, and not the snapshot's own. */
  readonly region: string;
  /** The copy's name; the source's name when absent. */
  readonly name?: string | undefined;
}

const START_FAILED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the copy could not be started; the source snapshot is unchanged',
};

type Deps = Pick<Ports, 'snapshots' | 'operations' | 'workflows' | 'regions' | 'ids' | 'clock'>;

async function assertOtherServedRegion(deps: Deps, source: Snapshot, region: string) {
  if (!(await deps.regions.find(region))) {
    const known = (await deps.regions.list()).map((each) => each.id);
    throw new UnknownRegionError(region, known);
  }
  if (region === source.region) throw new SnapshotAlreadyInRegionError(source.id, region);
}

/**
 * Starts copying an available snapshot to another region: a new, independent snapshot there
 * (`copying` until its image is whole in that region's store, then `available` and billed on its
 * own), a `snapshot.copy` operation, and the copy-snapshot workflow. The copy reads its source as a
 * registered reader, so the source cannot be deleted while the copy runs. Refused before anything
 * is written: a source of another account (SnapshotNotFoundError), one not available
 * (SnapshotNotAvailableError) or corrupt (SnapshotCorruptError), an unknown region
 * (UnknownRegionError) or the source's own (SnapshotAlreadyInRegionError).
 */
export async function requestSnapshotCopy(
  deps: Deps,
  input: SnapshotCopyRequest,
): Promise<{ snapshot: Snapshot; operation: Operation }> {
  const source = await getSnapshot(deps, input);
  await assertOtherServedRegion(deps, source, input.region);
  if (source.status !== 'available') throw new SnapshotNotAvailableError(source.id, source.status);
  if (source.verifyState === 'corrupt') throw new SnapshotCorruptError(source.id);
  const now = toIsoTime(deps.clock.now());
  const copy = newSnapshotCopy(source, {
    id: deps.ids.next('snapshot'),
    name: input.name ?? source.name,
    region: input.region,
    now,
  });
  const operation = newOperation({
    id: deps.ids.next('operation'),
    accountId: input.accountId,
    type: 'snapshot.copy',
    resourceId: copy.id,
    now,
  });
  // The reader first: a deletion of the source that started meanwhile refuses the copy here.
  await registerSnapshotReader(deps, input, {
    operationId: operation.id,
    operationType: 'snapshot.copy',
    sliceId: source.sliceId,
  });
  const ids = { accountId: input.accountId, snapshotId: copy.id, operationId: operation.id };
  try {
    await deps.snapshots.create(copy);
    await deps.operations.create(operation);
    await deps.workflows.start('copy-snapshot', ids);
  } catch (error) {
    // Whatever was written ends failed, and the source is let go.
    await endFailedCopy(deps, { ...ids, sourceSnapshotId: source.id }, START_FAILED);
    throw error;
  }
  return { snapshot: copy, operation };
}
