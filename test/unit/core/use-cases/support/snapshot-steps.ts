import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import { BYTES_PER_GIB } from '../../../../../core/shared/sizes.ts';
import { newSlice, type Slice } from '../../../../../core/slices/slice.ts';
import type { PowerState } from '../../../../../core/slices/slice-status.ts';
import type { SnapshotStepInput } from '../../../../../core/use-cases/lock-slice-for-snapshot.ts';
import { lockSliceForSnapshot } from '../../../../../core/use-cases/lock-slice-for-snapshot.ts';
import { markSnapshotCaptured } from '../../../../../core/use-cases/mark-snapshot-captured.ts';
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
  const lock = await lockSliceForSnapshot(ports, step);
  await markSnapshotCaptured(ports, {
    ...step,
    capturePower: lock.powerOffFirst ? 'off' : lock.power,
    poweredOff: lock.powerOffFirst,
    lockedAt: lock.lockedAt,
  });
  return { step, lock };
}
