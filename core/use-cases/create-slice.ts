import { type Labels, labelsIssues } from '../labels/labels.ts';
import { failOperation, newOperation, type Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { UnknownRegionError } from '../regions/region-errors.ts';
import { type InputIssue, InvalidInputError } from '../shared/domain-error.ts';
import type { Failure } from '../shared/failure.ts';
import { isResourceId } from '../shared/ids.ts';
import { nameIssues } from '../shared/names.ts';
import { gibToBytes } from '../shared/sizes.ts';
import { toIsoTime } from '../shared/time.ts';
import { diskGbIssues } from '../slices/disk-size.ts';
import { failSliceBuild, newSlice, type Slice } from '../slices/slice.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import {
  DiskTooSmallError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../snapshots/snapshot-errors.ts';
import { registerSnapshotReader, releaseSnapshotReader } from './snapshot-readers.ts';

/** What `POST /v1/slices` asks for, in the caller's account. */
export interface CreateSliceInput {
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  readonly diskGB: number;
  readonly snapshotId?: string | null;
  readonly labels?: Labels | null;
}

/** The new slice (`building`) and the operation that builds it. */
export interface CreateSliceResult {
  readonly slice: Slice;
  readonly operation: Operation;
}

type Deps = Pick<
  Ports,
  'slices' | 'snapshots' | 'operations' | 'workflows' | 'regions' | 'clock' | 'ids'
>;

async function loadSourceSnapshot(
  deps: Pick<Ports, 'snapshots'>,
  input: CreateSliceInput & { snapshotId: string },
): Promise<Snapshot> {
  const snapshot = await deps.snapshots.get(input.accountId, input.snapshotId);
  if (!snapshot || snapshot.status === 'deleted') {
    throw new SnapshotNotFoundError(input.snapshotId);
  }
  if (snapshot.status !== 'available') {
    throw new SnapshotNotAvailableError(snapshot.id, snapshot.status);
  }
  if (snapshot.region !== input.region) {
    throw new SnapshotRegionMismatchError(snapshot.id, snapshot.region, input.region);
  }
  const diskBytes = gibToBytes(input.diskGB);
  if (diskBytes < snapshot.diskBytes) {
    throw new DiskTooSmallError(snapshot.id, snapshot.diskBytes, diskBytes);
  }
  return snapshot;
}

async function validate(deps: Pick<Ports, 'regions'>, input: CreateSliceInput): Promise<void> {
  const issues: InputIssue[] = [
    ...nameIssues(input.name),
    ...diskGbIssues(input.diskGB),
    ...(input.labels == null ? [] : labelsIssues(input.labels)),
  ];
  if (input.snapshotId != null && !isResourceId('snapshot', input.snapshotId)) {
    issues.push({ path: 'snapshotId', message: 'must be a snapshot id (snp_…)' });
  }
  const region = await deps.regions.find(input.region);
  if (!region) {
    const known = (await deps.regions.list()).map((each) => each.id);
    const unknown = new UnknownRegionError(input.region, known);
    issues.push(...unknown.issues);
    if (issues.length === 1) throw unknown;
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
}

/**
 * Creates a slice, blank or from an available snapshot of the same region with a disk at least as
 * large, with the labels given (none by default). The snapshot's reader is registered first, so
 * the snapshot cannot be deleted while the slice is built from it. Then the slice is stored
 * `building` with a running `slice.create` operation, and the create-slice workflow starts to
 * place and build it. If the workflow cannot start, both records are marked failed and the
 * snapshot is no longer read.
 */
export async function createSlice(deps: Deps, input: CreateSliceInput): Promise<CreateSliceResult> {
  await validate(deps, input);
  const source = input.snapshotId
    ? await loadSourceSnapshot(deps, { ...input, snapshotId: input.snapshotId })
    : null;
  const now = toIsoTime(deps.clock.now());
  const slice = newSlice({
    id: deps.ids.next('slice'),
    accountId: input.accountId,
    name: input.name.trim(),
    region: input.region,
    diskBytes: gibToBytes(input.diskGB),
    usedBytes: source?.sizeBytes ?? 0,
    fromSnapshotId: source?.id ?? null,
    labels: { ...input.labels },
    now,
  });
  const operation = newOperation({
    id: deps.ids.next('operation'),
    accountId: input.accountId,
    type: 'slice.create',
    resourceId: slice.id,
    bytesTotal: source?.sizeBytes ?? 0,
    now,
  });
  const reading = source && { accountId: input.accountId, snapshotId: source.id };
  // Read from now on: the snapshot cannot be deleted until the build is over.
  if (reading) {
    await registerSnapshotReader(deps, reading, {
      operationId: operation.id,
      operationType: 'slice.create',
      sliceId: slice.id,
    });
  }
  try {
    await deps.slices.create(slice);
    await deps.operations.create(operation);
  } catch (error) {
    if (reading) await releaseSnapshotReader(deps, { ...reading, operationId: operation.id });
    throw error;
  }
  try {
    await deps.workflows.start('create-slice', {
      accountId: input.accountId,
      sliceId: slice.id,
      operationId: operation.id,
      snapshotId: source?.id ?? null,
    });
  } catch (error) {
    const failure: Failure = {
      code: 'WORKFLOW_START_FAILED',
      message: 'the build could not be started',
    };
    const failedAt = toIsoTime(deps.clock.now());
    if (reading) await releaseSnapshotReader(deps, { ...reading, operationId: operation.id });
    await deps.slices.update(slice, failSliceBuild(slice, failure, failedAt));
    await deps.operations.update(operation, failOperation(operation, failure, failedAt));
    throw error;
  }
  return { slice, operation };
}
