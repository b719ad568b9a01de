import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { Labels } from '../../../../../core/labels/labels.ts';
import type { Operation } from '../../../../../core/operations/operation.ts';
import type {
  PolicySettingsInput,
  SnapshotPolicy,
} from '../../../../../core/policies/snapshot-policy.ts';
import { BYTES_PER_GIB } from '../../../../../core/shared/sizes.ts';
import { newSlice, type Slice } from '../../../../../core/slices/slice.ts';
import type { PowerState } from '../../../../../core/slices/slice-status.ts';
import type { Snapshot } from '../../../../../core/snapshots/snapshot.ts';
import type { RestoreStepInput } from '../../../../../core/use-cases/complete-restore.ts';
import type { SliceStepInput } from '../../../../../core/use-cases/confirm-slice-lock.ts';
import type { SnapshotStepInput } from '../../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { confirmSliceLockForSnapshot } from '../../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { createSnapshotPolicy } from '../../../../../core/use-cases/create-snapshot-policy.ts';
import { failSnapshotCreation } from '../../../../../core/use-cases/fail-snapshot-creation.ts';
import { markSnapshotCaptured } from '../../../../../core/use-cases/mark-snapshot-captured.ts';
import { registerSnapshot } from '../../../../../core/use-cases/register-snapshot.ts';
import { requestPowerChange } from '../../../../../core/use-cases/request-power-change.ts';
import { requestRestore } from '../../../../../core/use-cases/request-restore.ts';
import { requestSliceDeletion } from '../../../../../core/use-cases/request-slice-deletion.ts';
import { requestSnapshot } from '../../../../../core/use-cases/request-snapshot.ts';
import { requestSnapshotDeletion } from '../../../../../core/use-cases/request-snapshot-deletion.ts';
import type { SnapshotStepIds } from '../../../../../core/use-cases/snapshot-step-ids.ts';
import { aBuildingSlice, anOperation } from '../../../../support/records.ts';
import { ACCOUNT, HOST, NOW } from './given-ports.ts';

/** An active slice placed on HOST, as the create-slice workflow leaves it, with `options` over the defaults. */
export async function anActiveSlice(
  ports: MemoryPorts,
  options: {
    power?: PowerState;
    usedBytes?: number;
    name?: string;
    fromSnapshotId?: string;
    labels?: Labels;
  } = {},
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
      ...(options.labels === undefined ? {} : { labels: options.labels }),
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

/** Takes a requested snapshot through the lock and capture steps of its workflow; the lock. */
export async function captureSnapshot(ports: MemoryPorts, step: SnapshotStepInput) {
  const lock = await confirmSliceLockForSnapshot(ports, step);
  await markSnapshotCaptured(ports, {
    ...step,
    capturePower: lock.powerOffFirst ? 'off' : lock.power,
    poweredOff: lock.powerOffFirst,
    lockedAt: lock.lockedAt,
  });
  return lock;
}

/** Stores what an upload of the snapshot wrote: `chunkHashes` and a manifest naming them for `disk`. */
export function storeUploadedImage(
  ports: MemoryPorts,
  snapshotId: string,
  disk: Pick<Slice, 'diskBytes' | 'usedBytes'>,
  chunkHashes: readonly string[],
): void {
  ports.images.in('fra1').putChunks(ACCOUNT, chunkHashes);
  ports.images.in('fra1').putImage(ACCOUNT, snapshotId, {
    diskBytes: disk.diskBytes,
    usedBytes: disk.usedBytes,
    chunkHashes,
  });
}

/** Stores a captured snapshot's chunks and manifest, then registers it: available and billed. */
export async function uploadSnapshot(
  ports: MemoryPorts,
  step: SnapshotStepInput,
  disk: Pick<Slice, 'diskBytes' | 'usedBytes'>,
  chunkHashes: readonly string[],
): Promise<Snapshot> {
  storeUploadedImage(ports, step.snapshotId, disk, chunkHashes);
  return registerSnapshot(ports, step);
}

/** A snapshot taken up to its upload: locked, captured (the slice powered off if asked). */
export async function anUploadingSnapshot(ports: MemoryPorts, slice: Slice, powerOff = true) {
  const step = await aRequestedSnapshot(ports, slice, powerOff);
  return { step, lock: await captureSnapshot(ports, step) };
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
  return uploadSnapshot(ports, step, slice, chunkHashes);
}

/** A snapshot of `slice` whose upload stored `chunkHashes` (no manifest) and then failed. */
export async function aFailedSnapshot(
  ports: MemoryPorts,
  slice: Slice,
  chunkHashes: readonly string[] = [],
): Promise<Snapshot> {
  const { step } = await anUploadingSnapshot(ports, slice);
  ports.images.in('fra1').putChunks(ACCOUNT, chunkHashes);
  await failSnapshotCreation(ports, { ...step, error: { Error: 'StoreUnavailable' } });
  const failed = await ports.snapshots.get(ACCOUNT, step.snapshotId);
  if (!failed) throw new Error(`snapshot ${step.snapshotId} is gone`);
  return failed;
}

/**
 * The settings of a policy that takes every hour the slices `target` names (their ids, or a label
 * selector) and keeps the last snapshot, with `settings` over those.
 */
export function hourlyPolicySettings(
  target: string[] | string,
  settings: Partial<PolicySettingsInput> = {},
): PolicySettingsInput {
  return {
    name: 'one',
    schedule: { every: '1h' },
    target: typeof target === 'string' ? { sliceSelector: target } : { sliceIds: target },
    retain: { last: 1 },
    ...settings,
  };
}

/** A snapshot policy of the account made with {@link hourlyPolicySettings}. */
export function aPolicyOf(
  ports: Parameters<typeof createSnapshotPolicy>[0],
  target: string[] | string,
  settings: Partial<PolicySettingsInput> = {},
): Promise<SnapshotPolicy> {
  return createSnapshotPolicy(ports, {
    accountId: ACCOUNT,
    settings: hourlyPolicySettings(target, settings),
  });
}

/** When `aSnapshotToRecycle` takes its snapshot. */
export const SNAPSHOT_AT = '2025-03-01T10:00:00.000Z';
/** When `aSnapshotToRecycle` leaves the clock: a day after the snapshot, for it to be recycled. */
export const RECYCLE_AT = '2025-03-02T10:00:00.000Z';
/** Seven days after RECYCLE_AT: when a snapshot recycled then has had the bin's default time. */
export const PURGE_AT = '2025-03-09T10:00:00.000Z';

/**
 * An active slice and an available snapshot of it taken at SNAPSHOT_AT; the clock is then moved to
 * RECYCLE_AT, when a test recycles the snapshot.
 */
export async function aSnapshotToRecycle(
  ports: MemoryPorts,
): Promise<{ slice: Slice; snapshot: Snapshot }> {
  ports.clock.set(SNAPSHOT_AT);
  const taken = await aSliceWithASnapshot(ports);
  ports.clock.set(RECYCLE_AT);
  return taken;
}

/** The operation `operationId` lets go of the slice's lock at `at`, as its last step would. */
export async function lockReleasedBy(
  ports: MemoryPorts,
  sliceId: string,
  operationId: string,
  at = NOW,
): Promise<void> {
  await ports.slices.releaseLock({ accountId: ACCOUNT, sliceId, operationId, now: at });
}

/** Gives the slice's lock, taken by `operationId`, to another operation (`op_other`) at `at`. */
export async function lockTakenByAnother(
  ports: MemoryPorts,
  sliceId: string,
  operationId: string,
  at: string,
): Promise<void> {
  await lockReleasedBy(ports, sliceId, operationId, at);
  await ports.slices.acquireLock({
    accountId: ACCOUNT,
    sliceId,
    operationId: 'op_other',
    operationType: 'slice.power',
    now: at,
  });
}

/** Marks a stored slice deleted, as its deletion would. */
export async function deleteStoredSlice(ports: MemoryPorts, slice: Slice): Promise<void> {
  const stored = await ports.slices.get(slice.accountId, slice.id);
  if (!stored) throw new Error(`slice ${slice.id} is gone`);
  await ports.slices.update(stored, { ...stored, status: 'deleted', lock: null });
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

/** A power change of `slice` to `state`, requested through the API's use case: its step input. */
export async function aPowerChange(
  ports: MemoryPorts,
  slice: Slice,
  state: PowerState,
): Promise<SliceStepInput> {
  const operation = await requestPowerChange(ports, {
    accountId: ACCOUNT,
    sliceId: slice.id,
    state,
  });
  return { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id };
}

/** A deletion of `slice`, requested through the API's use case: its step input. */
export async function aSliceDeletion(ports: MemoryPorts, slice: Slice): Promise<SliceStepInput> {
  const operation = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });
  return { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id };
}

/**
 * A deletion of `snapshot` for good (`?purge=true`, past the recycle bin), requested through the
 * API's use case: its step input.
 */
export async function aSnapshotDeletion(
  ports: MemoryPorts,
  snapshot: Snapshot,
): Promise<SnapshotStepIds> {
  const { accountId, id: snapshotId } = snapshot;
  const { operation } = await requestSnapshotDeletion(ports, {
    accountId,
    snapshotId,
    purge: true,
  });
  return { accountId, snapshotId, operationId: operation.id };
}

/** An active slice on HOST (`options` as for {@link anActiveSlice}) and an available snapshot of it. */
export async function aSliceWithASnapshot(
  ports: MemoryPorts,
  options: Parameters<typeof anActiveSlice>[1] = {},
): Promise<{ slice: Slice; snapshot: Snapshot }> {
  const slice = await anActiveSlice(ports, options);
  return { slice, snapshot: await anAvailableSnapshot(ports, slice) };
}

/** A restore of an available snapshot onto its own active slice, requested: its records and step input. */
export async function aRestoreUnderWay(
  ports: MemoryPorts,
  options: Parameters<typeof anActiveSlice>[1] = {},
): Promise<{ slice: Slice; snapshot: Snapshot; step: RestoreStepInput }> {
  const { slice, snapshot } = await aSliceWithASnapshot(ports, options);
  return { slice, snapshot, step: await aRequestedRestore(ports, snapshot) };
}

/**
 * A 10 GiB slice being built, placed on `hostId` (on no host yet when null), and its running
 * slice.create operation, stored as the create-slice workflow finds them.
 */
export async function aSliceBeingBuilt(
  ports: MemoryPorts,
  hostId: string | null = HOST,
): Promise<{ slice: Slice; operation: Operation; step: SliceStepInput }> {
  const now = ports.clock.now().toISOString();
  const slice = aBuildingSlice({
    id: ports.ids.next('slice'),
    diskBytes: 10 * BYTES_PER_GIB,
    createdAt: now,
    updatedAt: now,
    hostId,
  });
  const operation = anOperation({
    id: ports.ids.next('operation'),
    type: 'slice.create',
    resourceId: slice.id,
    startedAt: now,
    updatedAt: now,
  });
  await ports.slices.create(slice);
  await ports.operations.create(operation);
  if (hostId) await ports.hostLoad.claim(hostId, slice.id);
  return {
    slice,
    operation,
    step: { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id },
  };
}

/**
 * Snapshots no use case may find for ACCOUNT: a deleted snapshot of `slice`, an id never used,
 * and `snapshot` asked for by another account.
 */
export async function snapshotsNotFound(
  ports: MemoryPorts,
  slice: Slice,
  snapshot: Snapshot,
): Promise<{ accountId: string; snapshotId: string }[]> {
  const deleted = await anAvailableSnapshot(ports, slice);
  await ports.snapshots.update(deleted, { ...deleted, status: 'deleted' });
  return [
    { accountId: ACCOUNT, snapshotId: deleted.id },
    { accountId: ACCOUNT, snapshotId: ports.ids.next('snapshot') },
    { accountId: 'acct-2', snapshotId: snapshot.id },
  ];
}

/**
 * Slices no use case may find for ACCOUNT: a deleted slice, an id never used, and `slice` asked
 * for by another account.
 */
export async function slicesNotFound(
  ports: MemoryPorts,
  slice: Slice,
): Promise<{ accountId: string; sliceId: string }[]> {
  const deleted = await anActiveSlice(ports, { name: 'old' });
  await deleteStoredSlice(ports, deleted);
  return [
    { accountId: ACCOUNT, sliceId: deleted.id },
    { accountId: ACCOUNT, sliceId: ports.ids.next('slice') },
    { accountId: 'acct-2', sliceId: slice.id },
  ];
}
