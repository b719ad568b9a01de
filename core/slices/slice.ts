import { type Labels, NO_LABELS } from '../labels/labels.ts';
import type { OperationType } from '../operations/operation-type.ts';
import type { Failure } from '../shared/failure.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceDeleteProtectedError,
  SliceLockNotHeldError,
  SliceNotFoundError,
} from './slice-errors.ts';
import type { PowerState, SliceLock, SliceStatus } from './slice-status.ts';

/** A slice (a VM and its disk) as stored. `accountId` is never shown to users. */
export interface Slice {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  readonly status: SliceStatus;
  readonly power: PowerState;
  /** The agent host holding the slice's disk; null until the create workflow places it. */
  readonly hostId: string | null;
  readonly diskBytes: number;
  readonly usedBytes: number;
  readonly fromSnapshotId: string | null;
  readonly labels: Labels;
  /** While true, nothing deletes the slice: a deletion is refused (SliceDeleteProtectedError). */
  readonly deleteProtected: boolean;
  readonly lock: SliceLock | null;
  readonly error: Failure | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
}

function assertStatus(slice: Slice, allowed: readonly SliceStatus[], to: SliceStatus): void {
  if (!allowed.includes(slice.status)) {
    throw new IllegalSliceTransitionError(slice.id, slice.status, to);
  }
}

/** A new slice, `building` and powered off, until its create workflow places and starts it. */
export function newSlice(input: {
  id: string;
  accountId: string;
  name: string;
  region: string;
  diskBytes: number;
  usedBytes?: number;
  fromSnapshotId?: string | null;
  labels?: Labels;
  now: string;
}): Slice {
  return {
    id: input.id,
    accountId: input.accountId,
    name: input.name,
    region: input.region,
    status: 'building',
    power: 'off',
    hostId: null,
    diskBytes: input.diskBytes,
    usedBytes: input.usedBytes ?? 0,
    fromSnapshotId: input.fromSnapshotId ?? null,
    labels: input.labels ?? NO_LABELS,
    deleteProtected: false,
    lock: null,
    error: null,
    createdAt: input.now,
    updatedAt: input.now,
    deletedAt: null,
  };
}

/** building → active: the disk exists on `hostId` and the VM has its first power state. */
export function activateSlice(
  slice: Slice,
  placed: { hostId: string; power: PowerState; usedBytes?: number },
  now: string,
): Slice {
  assertStatus(slice, ['building'], 'active');
  return {
    ...slice,
    status: 'active',
    hostId: placed.hostId,
    power: placed.power,
    usedBytes: placed.usedBytes ?? slice.usedBytes,
    updatedAt: now,
  };
}

/** building → error: the slice could not be built; `error` says why. */
export function failSliceBuild(slice: Slice, error: Failure, now: string): Slice {
  assertStatus(slice, ['building'], 'error');
  return { ...slice, status: 'error', power: 'off', error, updatedAt: now };
}

/**
 * The guard of every path that deletes a slice: SliceDeleteProtectedError while its delete
 * protection is on.
 */
export function assertSliceDeletable(slice: Slice): void {
  if (slice.deleteProtected) throw new SliceDeleteProtectedError(slice.id);
}

/**
 * active → busy: `operation` takes the slice's lock and the current power state is recorded. The
 * same operation taking it again changes nothing (a retried step); another gets SliceBusyError.
 * A deletion cannot take the lock of a slice with delete protection on.
 */
export function lockSlice(
  slice: Slice,
  operation: { operationId: string; operationType: OperationType },
  now: string,
): Slice {
  if (slice.lock?.operationId === operation.operationId) return slice;
  if (slice.status === 'busy' && slice.lock) throw new SliceBusyError(slice.id, slice.lock);
  assertStatus(slice, ['active'], 'busy');
  if (operation.operationType === 'slice.delete') assertSliceDeletable(slice);
  return {
    ...slice,
    status: 'busy',
    lock: { ...operation, power: slice.power },
    updatedAt: now,
  };
}

/** busy → active: only the operation holding the lock may release it. */
export function unlockSlice(slice: Slice, operationId: string, now: string): Slice {
  if (slice.status !== 'busy' || slice.lock?.operationId !== operationId) {
    throw new SliceLockNotHeldError(slice.id, operationId, slice.lock?.operationId ?? null);
  }
  return { ...slice, status: 'active', lock: null, updatedAt: now };
}

/** Records a power change made by the operation holding the lock (power is changed only under it). */
export function changeSlicePower(
  slice: Slice,
  operationId: string,
  power: PowerState,
  now: string,
): Slice {
  if (slice.status !== 'busy' || slice.lock?.operationId !== operationId) {
    throw new SliceLockNotHeldError(slice.id, operationId, slice.lock?.operationId ?? null);
  }
  return { ...slice, power, updatedAt: now };
}

/**
 * → deleted: the slice's disk is gone; its snapshots stay. A busy slice only by the operation
 * holding its lock (the delete workflow, after the host deleted the disk; its protection was
 * checked when it took the lock); a slice in `error` (its build failed, its disk released
 * already) at once, unless its delete protection is on.
 */
export function markSliceDeleted(slice: Slice, now: string, operationId?: string): Slice {
  if (slice.status === 'busy' && slice.lock?.operationId !== operationId) {
    throw new SliceLockNotHeldError(slice.id, operationId ?? '-', slice.lock?.operationId ?? null);
  }
  assertStatus(slice, ['busy', 'error'], 'deleted');
  if (slice.status === 'error') assertSliceDeletable(slice);
  return {
    ...slice,
    status: 'deleted',
    power: 'off',
    lock: null,
    deletedAt: now,
    updatedAt: now,
  };
}

/** What `PATCH /v1/slices/{id}` may change; what is left out stays as it is. */
export interface SliceEdit {
  readonly name?: string;
  readonly labels?: Labels;
  readonly deleteProtected?: boolean;
}

/**
 * The slice with its name, labels or delete protection changed, in any status but deleted (not
 * found). Protection cannot be turned on while a deletion holds the slice (SliceBusyError naming
 * it): that deletion has passed the guard already.
 */
export function editSlice(slice: Slice, edit: SliceEdit, now: string): Slice {
  // A deleted slice is gone for its users: not found, like one that never was.
  if (slice.status === 'deleted') throw new SliceNotFoundError(slice.id);
  if (
    edit.deleteProtected &&
    !slice.deleteProtected &&
    slice.lock?.operationType === 'slice.delete'
  ) {
    throw new SliceBusyError(slice.id, slice.lock);
  }
  return {
    ...slice,
    name: edit.name ?? slice.name,
    labels: edit.labels ?? slice.labels,
    deleteProtected: edit.deleteProtected ?? slice.deleteProtected,
    updatedAt: now,
  };
}
