import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceDeleteProtectedError,
  SliceNotFoundError,
} from '../../../../core/slices/slice-errors.ts';
import { createSlice } from '../../../../core/use-cases/create-slice.ts';
import { failSliceCreation } from '../../../../core/use-cases/fail-slice-creation.ts';
import { requestSliceDeletion } from '../../../../core/use-cases/request-slice-deletion.ts';
import { updateSlice } from '../../../../core/use-cases/update-slice.ts';
import { STEP_FUNCTIONS_DOWN, withOverrides } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, FIVE_MINUTES_LATER as LATER } from './support/given-ports.ts';
import { eventsOf, expectSliceTakenBy, expectStartFailureUndone } from './support/outcomes.ts';
import { withARunningSlice } from './support/set-ups.ts';
import { aPowerChange, slicesNotFound } from './support/use-case-steps.ts';

describe('requestSliceDeletion', () => {
  const given = givenPorts(withARunningSlice);

  /** A slice whose build failed: in `error`, its place on the host given back. */
  async function aSliceThatFailedToBuild(): Promise<Slice> {
    const { ports } = given;
    const created = await createSlice(ports, {
      accountId: ACCOUNT,
      name: 'broken',
      region: 'fra1',
      diskGB: 10,
    });
    await failSliceCreation(ports, {
      accountId: ACCOUNT,
      sliceId: created.slice.id,
      operationId: created.operation.id,
      error: { Error: 'NoHostAvailableError' },
    });
    ports.clock.set(LATER);
    return created.slice;
  }

  it('locks the slice with slice.delete and starts the delete-slice workflow', async () => {
    const { ports, slice } = given;
    const operation = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });

    await expectSliceTakenBy(ports, slice.id, operation, {
      type: 'slice.delete',
      workflow: 'delete-slice',
      input: {
        accountId: ACCOUNT,
        sliceId: slice.id,
        operationId: operation.id,
        finalSnapshotId: null,
      },
    });
  });

  it('deletes a slice whose build failed at once, without a workflow', async () => {
    const { ports } = given;
    const broken = await aSliceThatFailedToBuild();
    const started = ports.workflows.started.length;

    const operation = await requestSliceDeletion(ports, {
      accountId: ACCOUNT,
      sliceId: broken.id,
    });

    expect(operation).toMatchObject({
      type: 'slice.delete',
      status: 'succeeded',
      resourceId: broken.id,
      finishedAt: LATER,
    });
    expect(await ports.operations.get(ACCOUNT, operation.id)).toEqual(operation);
    expect(await ports.slices.get(ACCOUNT, broken.id)).toMatchObject({
      status: 'deleted',
      deletedAt: LATER,
    });
    expect(ports.workflows.started).toHaveLength(started);
    expect(eventsOf(ports, EVENT.sliceDeleted)).toEqual([
      {
        detailType: EVENT.sliceDeleted,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: broken.id,
          operationId: operation.id,
        }),
      },
    ]);
  });

  it('does not find a deleted slice, an unknown one or one of another account', async () => {
    const { ports, slice } = given;

    for (const input of await slicesNotFound(ports, slice)) {
      await expect(requestSliceDeletion(ports, input)).rejects.toThrow(SliceNotFoundError);
    }

    expect(ports.workflows.started).toEqual([]);
    expect(ports.events.published).toEqual([]);
  });

  it('refuses a slice that is still being built', async () => {
    const { ports } = given;
    const { slice: building } = await createSlice(ports, {
      accountId: ACCOUNT,
      name: 'new',
      region: 'fra1',
      diskGB: 10,
    });

    const attempt = requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: building.id });

    await expect(attempt).rejects.toThrow(IllegalSliceTransitionError);
    expect(await ports.slices.get(ACCOUNT, building.id)).toMatchObject({ status: 'building' });
    expect(ports.workflows.started.map((each) => each.workflow)).toEqual(['create-slice']);
  });

  it('refuses a deletion while another operation holds the slice, naming it', async () => {
    const { ports, slice } = given;
    const power = await aPowerChange(ports, slice, 'off');

    const attempt = requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });

    await expect(attempt).rejects.toThrow(SliceBusyError);
    await expect(attempt).rejects.toThrow(power.operationId);
    expect(ports.workflows.started.map((each) => each.workflow)).toEqual(['change-slice-power']);
  });

  it('gives the lock back and fails the operation when the workflow cannot start', async () => {
    const { ports, slice } = given;
    const attempt = requestSliceDeletion(
      { ...ports, workflows: STEP_FUNCTIONS_DOWN },
      { accountId: ACCOUNT, sliceId: slice.id },
    );

    await expect(attempt).rejects.toThrow('Step Functions is down');
    await expectStartFailureUndone(ports, slice, 'slice.delete');
  });

  describe('with delete protection on', () => {
    const protect = (sliceId: string, deleteProtected = true) =>
      updateSlice(given.ports, { accountId: ACCOUNT, sliceId, deleteProtected });

    it('refuses with SliceDeleteProtectedError, starting and changing nothing', async () => {
      const { ports, slice } = given;
      await protect(slice.id);
      const before = await ports.slices.get(ACCOUNT, slice.id);

      const attempt = requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });

      await expect(attempt).rejects.toThrow(SliceDeleteProtectedError);
      expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(before);
      expect(ports.workflows.started).toEqual([]);
      expect((await ports.operations.list(ACCOUNT, { limit: 10 })).items).toEqual([]);
    });

    it('refuses a slice whose build failed too', async () => {
      const { ports } = given;
      const broken = await aSliceThatFailedToBuild();
      await protect(broken.id);

      const attempt = requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: broken.id });

      await expect(attempt).rejects.toThrow(SliceDeleteProtectedError);
      expect(await ports.slices.get(ACCOUNT, broken.id)).toMatchObject({ status: 'error' });
      expect(eventsOf(ports, EVENT.sliceDeleted)).toEqual([]);
    });

    it('refuses when protection is turned on between the read and the lock', async () => {
      const { ports, slice } = given;
      const racing = withOverrides(ports.slices, {
        acquireLock: async (request) => {
          await protect(request.sliceId);
          return ports.slices.acquireLock(request);
        },
      });

      const attempt = requestSliceDeletion(
        { ...ports, slices: racing },
        { accountId: ACCOUNT, sliceId: slice.id },
      );

      await expect(attempt).rejects.toThrow(SliceDeleteProtectedError);
      expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
        status: 'active',
        deleteProtected: true,
      });
    });

    it('deletes once protection is off again', async () => {
      const { ports, slice } = given;
      await protect(slice.id);
      await protect(slice.id, false);

      const operation = await requestSliceDeletion(ports, {
        accountId: ACCOUNT,
        sliceId: slice.id,
      });

      expect(operation).toMatchObject({ type: 'slice.delete', status: 'running' });
    });
  });
});
