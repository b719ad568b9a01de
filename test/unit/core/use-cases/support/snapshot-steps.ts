import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { DomainEvent, EventDetailType } from '../../../../../core/events/event-types.ts';
import type { OperationRepository } from '../../../../../core/ports/operation-repository.ts';
import type { SliceRepository } from '../../../../../core/ports/slice-repository.ts';
import { BYTES_PER_GIB } from '../../../../../core/shared/sizes.ts';
import { newSlice, type Slice } from '../../../../../core/slices/slice.ts';
import type { PowerState } from '../../../../../core/slices/slice-status.ts';
import type { Snapshot } from '../../../../../core/snapshots/snapshot.ts';
import type { RestoreStepInput } from '../../../../../core/use-cases/complete-restore.ts';
import type { SnapshotStepInput } from '../../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { confirmSliceLockForSnapshot } from '../../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { failSnapshotCreation } from '../../../../../core/use-cases/fail-snapshot-creation.ts';
import { markSnapshotCaptured } from '../../../../../core/use-cases/mark-snapshot-captured.ts';
import { registerSnapshot } from '../../../../../core/use-cases/register-snapshot.ts';
import { requestRestore } from '../../../../../core/use-cases/request-restore.ts';
import { requestSnapshot } from '../../../../../core/use-cases/request-snapshot.ts';

export const ACCOUNT = 'acct-1';
export const HOST = 'fra1-a';

/** An active slice placed on HOST, in the given power state, as the create-slice workflow leaves it. */
export async function anActiveSlice(
  ports: MemoryPorts,
  options: { power?: PowerState; usedBytes?: number; name?: string; fromSnapshotId?: string } = {},
): Promise<Slice> {
  const now = ports.clock.now().toISOString();
  const slice: Slice = {
    ...newSlice({
      id: ports.ids.next('slice'),
      accountId: ACCOUNT,
      name: options.name ?? 'web-1',
      region: 'fra1',
      diskBytes: 10 * BYTES_PER_GIB,
      usedBytes: options.usedBytes ?? 3 * BYTES_PER_GIB,
      fromSnapshotId: options.fromSnapshotId ?? null,
      now,
    }),
    status: 'active',
    hostId: HOST,
    power: options.power ?? 'on',
  };
  await ports.slices.create(slice);
  return slice;
}

/** A snapshot requested through the API's use case: its step input. */
export async function aRequestedSnapshot(
  ports: MemoryPorts,
  slice: Slice,
  powerOff = true,
): Promise<SnapshotStepInput> {
  const { snapshot, operation } = await requestSnapshot(ports, {
    accountId: ACCOUNT,
    sliceId: slice.id,
    powerOff,
  });
  return {
    accountId: ACCOUNT,
    sliceId: slice.id,
    snapshotId: snapshot.id,
    operationId: operation.id,
  };
}

/** A snapshot taken up to its upload: locked, captured (the slice powered off if asked). */
export async function anUploadingSnapshot(ports: MemoryPorts, slice: Slice, powerOff = true) {
  const step = await aRequestedSnapshot(ports, slice, powerOff);
  const lock = await confirmSliceLockForSnapshot(ports, step);
  await markSnapshotCaptured(ports, {
    ...step,
    capturePower: lock.powerOffFirst ? 'off' : lock.power,
    poweredOff: lock.powerOffFirst,
    lockedAt: lock.lockedAt,
  });
  return { step, lock };
}

/** The events of one detail-type published so far, in order. */
export function eventsOf(ports: MemoryPorts, detailType: EventDetailType): DomainEvent[] {
  return ports.events.published.filter((event) => event.detailType === detailType);
}

/**
 * A snapshot of `slice` taken to the end. Its chunks and manifest are stored, it is available and
 * billed, and the slice is unlocked again.
 */
export async function anAvailableSnapshot(
  ports: MemoryPorts,
  slice: Slice,
  chunkHashes: readonly string[] = ['chunk-1', 'chunk-2'],
): Promise<Snapshot> {
  const { step } = await anUploadingSnapshot(ports, slice);
  ports.images.putChunks(ACCOUNT, chunkHashes);
  ports.images.putImage(ACCOUNT, step.snapshotId, {
    diskBytes: slice.diskBytes,
    usedBytes: slice.usedBytes,
    chunkHashes,
  });
  return registerSnapshot(ports, step);
}

/** A snapshot of `slice` whose upload stored `chunkHashes` (no manifest) and then failed. */
export async function aFailedSnapshot(
  ports: MemoryPorts,
  slice: Slice,
  chunkHashes: readonly string[] = [],
): Promise<Snapshot> {
  const { step } = await anUploadingSnapshot(ports, slice);
  ports.images.putChunks(ACCOUNT, chunkHashes);
  await failSnapshotCreation(ports, { ...step, error: { Error: 'StoreUnavailable' } });
  const failed = await ports.snapshots.get(ACCOUNT, step.snapshotId);
  if (!failed) throw new Error(`snapshot ${step.snapshotId} is gone`);
  return failed;
}

/** Marks a stored slice deleted, as its deletion would. */
export async function deleteStoredSlice(ports: MemoryPorts, slice: Slice): Promise<void> {
  const stored = await ports.slices.get(slice.accountId, slice.id);
  if (!stored) throw new Error(`slice ${slice.id} is gone`);
  await ports.slices.update(stored, { ...stored, status: 'deleted', lock: null });
}

/**
 * The operations of `ports` with every update refused, as when the table cannot be reached: the
 * write that ends an operation, and the events it carries, never happen.
 */
export function operationUpdatesDown(ports: MemoryPorts): OperationRepository {
  return {
    create: (operation, write) => ports.operations.create(operation, write),
    get: (accountId, operationId) => ports.operations.get(accountId, operationId),
    update: async () => {
      throw new Error('DynamoDB is down');
    },
    list: (accountId, page) => ports.operations.list(accountId, page),
    listRunning: (startedBefore, limit) => ports.operations.listRunning(startedBefore, limit),
  };
}

/** The slices of `ports`, recording which writes are made (updates and lock moves), in order. */
export function recordingSliceWrites(ports: MemoryPorts): {
  slices: SliceRepository;
  writes: string[];
} {
  const writes: string[] = [];
  const slices: SliceRepository = {
    create: (slice) => ports.slices.create(slice),
    get: (accountId, sliceId) => ports.slices.get(accountId, sliceId),
    list: (accountId, page) => ports.slices.list(accountId, page),
    update: async (current, next) => {
      writes.push('update');
      await ports.slices.update(current, next);
    },
    acquireLock: async (accountId, sliceId, operation, now) => {
      writes.push('acquireLock');
      return ports.slices.acquireLock(accountId, sliceId, operation, now);
    },
    releaseLock: async (accountId, sliceId, operationId, now) => {
      writes.push('releaseLock');
      return ports.slices.releaseLock(accountId, sliceId, operationId, now);
    },
  };
  return { slices, writes };
}

/** A restore of `snapshot` requested through the API's use case: its step input. */
export async function aRequestedRestore(
  ports: MemoryPorts,
  snapshot: Snapshot,
  sliceId?: string,
): Promise<RestoreStepInput> {
  const { operation, slice } = await requestRestore(ports, {
    accountId: ACCOUNT,
    snapshotId: snapshot.id,
    sliceId: sliceId ?? null,
  });
  return {
    accountId: ACCOUNT,
    sliceId: slice.id,
    snapshotId: snapshot.id,
    operationId: operation.id,
  };
}
