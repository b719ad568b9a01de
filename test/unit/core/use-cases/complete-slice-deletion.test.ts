import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { SliceLockNotHeldError } from '../../../../core/slices/slice-errors.ts';
import { completeSliceDeletion } from '../../../../core/use-cases/complete-slice-deletion.ts';
import { ACCOUNT, givenPorts, HOST, FIVE_MINUTES_LATER as LATER } from './support/given-ports.ts';
import {
  expectEmittedOnceOnRetry,
  expectEmittedOnceWhenRunTwice,
  expectOperationSucceeded,
} from './support/outcomes.ts';
import {
  anActiveSlice,
  aPowerChange,
  aSliceDeletion,
  aSliceWithASnapshot,
} from './support/use-case-steps.ts';

describe('completeSliceDeletion', () => {
  const given = givenPorts(async (ports) => {
    const { slice, snapshot } = await aSliceWithASnapshot(ports, { name: 'web-1' });
    const neighbour = await anActiveSlice(ports, { name: 'web-2' });
    await ports.hostLoad.claim(HOST, slice.id);
    await ports.hostLoad.claim(HOST, neighbour.id);
    const step = await aSliceDeletion(ports, slice);
    ports.clock.set(LATER);
    return { slice, neighbour, snapshot, step };
  });

  it('marks the slice deleted, its lock gone, and gives its place on the host back', async () => {
    const { ports, slice, step, neighbour } = given;
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
    const { ports, slice, step } = given;

    const { emitted } = await expectEmittedOnceWhenRunTwice(ports, EVENT.sliceDeleted, () =>
      completeSliceDeletion(ports, step),
    );

    await expectOperationSucceeded(ports, step.operationId, LATER);
    expect(emitted).toEqual([
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
    const { ports, slice, snapshot, step } = given;
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
    const { ports, step } = given;
    await expectEmittedOnceOnRetry(ports, EVENT.sliceDeleted, step.operationId, (deps) =>
      completeSliceDeletion(deps, step),
    );
  });

  it('refuses to delete a slice that another operation holds', async () => {
    const { ports, step, neighbour } = given;
    const power = await aPowerChange(ports, neighbour, 'off');

    const attempt = completeSliceDeletion(ports, { ...step, sliceId: neighbour.id });

    await expect(attempt).rejects.toThrow(SliceLockNotHeldError);
    expect(await ports.slices.get(ACCOUNT, neighbour.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: power.operationId },
    });
    expect(ports.hostLoad.slicesOnHost(HOST)).toContain(neighbour.id);
  });
});
