import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import { SliceLockNotHeldError } from '../../../../core/slices/slice-errors.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import { completeSliceDeletion } from '../../../../core/use-cases/complete-slice-deletion.ts';
import type { SliceStepInput } from '../../../../core/use-cases/confirm-slice-lock.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { requestSliceDeletion } from '../../../../core/use-cases/request-slice-deletion.ts';
import {
  ACCOUNT,
  anActiveSlice,
  anAvailableSnapshot,
  eventsOf,
  HOST,
  operationUpdatesDown,
} from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:05:00.000Z';

describe('completeSliceDeletion', () => {
  let ports: MemoryPorts;
  let slice: Slice;
  let neighbour: Slice;
  let snapshot: Snapshot;
  let step: SliceStepInput;

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    slice = await anActiveSlice(ports, { name: 'web-1' });
    neighbour = await anActiveSlice(ports, { name: 'web-2' });
    await ports.hostLoad.claim(HOST, slice.id);
    await ports.hostLoad.claim(HOST, neighbour.id);
    snapshot = await anAvailableSnapshot(ports, slice);
    const operation = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });
    step = { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id };
    ports.clock.set(LATER);
  });

  it('marks the slice deleted, its lock gone, and gives its place on the host back', async () => {
    const deleted = await completeSliceDeletion(ports, step);

    expect(deleted).toMatchObject({
      status: 'deleted',
      power: 'off',
      lock: null,
      deletedAt: LATER,
    });
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(deleted);
    expect(ports.hostLoad.slicesOnHost(HOST)).toEqual([neighbour.id]);
    expect((await ports.slices.list(ACCOUNT, {}, { limit: 10 })).items.map((s) => s.id)).toEqual([
      neighbour.id,
    ]);
  });

  it('succeeds the operation and emits Slice Deleted once when the step runs twice', async () => {
    await completeSliceDeletion(ports, step);

    await completeSliceDeletion(ports, step);

    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      finishedAt: LATER,
    });
    expect(eventsOf(ports, EVENT.sliceDeleted)).toEqual([
      {
        detailType: EVENT.sliceDeleted,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: slice.id,
          operationId: step.operationId,
        }),
      },
    ]);
  });

  it("keeps the slice's snapshots listed and billed", async () => {
    await completeSliceDeletion(ports, step);

    const listed = await ports.snapshots.list(ACCOUNT, { sliceId: slice.id }, { limit: 10 });
    expect(listed.items).toEqual([
      expect.objectContaining({ id: snapshot.id, status: 'available' }),
    ]);
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, to: null }),
    ]);
  });

  it('emits Slice Deleted once, on a retry after the write that carries it failed', async () => {
    await expect(
      completeSliceDeletion({ ...ports, operations: operationUpdatesDown(ports) }, step),
    ).rejects.toThrow('DynamoDB is down');
    expect(eventsOf(ports, EVENT.sliceDeleted)).toEqual([]);

    await completeSliceDeletion(ports, step);

    expect(eventsOf(ports, EVENT.sliceDeleted)).toHaveLength(1);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
  });

  it('refuses to delete a slice that another operation holds', async () => {
    const power = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: neighbour.id,
      state: 'off',
    });

    const attempt = completeSliceDeletion(ports, { ...step, sliceId: neighbour.id });

    await expect(attempt).rejects.toThrow(SliceLockNotHeldError);
    expect(await ports.slices.get(ACCOUNT, neighbour.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: power.id },
    });
    expect(ports.hostLoad.slicesOnHost(HOST)).toContain(neighbour.id);
  });
});
