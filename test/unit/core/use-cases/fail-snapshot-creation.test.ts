import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { confirmSliceLockForSnapshot } from '../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { failSnapshotCreation } from '../../../../core/use-cases/fail-snapshot-creation.ts';
import { registerSnapshot } from '../../../../core/use-cases/register-snapshot.ts';
import { expectSliceFree } from './support/expectations.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import { expectOperationFailed, expectOperationSucceeded } from './support/outcomes.ts';
import { withARunningSlice } from './support/set-ups.ts';
import {
  anUploadingSnapshot,
  aRequestedSnapshot,
  lockTakenByAnother,
} from './support/use-case-steps.ts';

const FAILED = '2025-03-01T10:00:30.000Z';
const STORE_DOWN = { Error: 'StoreUnavailable', Cause: 'PUT 503 from 10.0.0.7' };

describe('failSnapshotCreation', () => {
  const given = givenPorts(withARunningSlice);

  const failed = (count = 1) =>
    given.ports.events.published.filter((event) => event.detailType === EVENT.snapshotFailed)
      .length === count;

  it('fails the snapshot and its operation with a reason users can read, and unlocks the slice', async () => {
    const { ports, slice } = given;
    const { step } = await anUploadingSnapshot(ports, slice);
    ports.clock.set(FAILED);

    const outcome = await failSnapshotCreation(ports, { ...step, error: STORE_DOWN });

    const error = { code: 'STORE_UNAVAILABLE', message: 'the image store was unavailable' };
    expect(outcome).toEqual({ status: 'failed', error });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'failed',
      error,
      completedAt: null,
    });
    await expectOperationFailed(ports, step.operationId, error, FAILED);
    await expectSliceFree(ports, slice.id);
    expect(ports.events.published.at(-1)).toEqual({
      detailType: EVENT.snapshotFailed,
      detail: expect.objectContaining({ snapshotId: step.snapshotId, error }),
    });
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([]);
  });

  it('keeps the cause of the failure from users', async () => {
    const { ports, slice } = given;
    const step = await aRequestedSnapshot(ports, slice);

    const outcome = await failSnapshotCreation(ports, {
      ...step,
      error: { Error: 'TypeError', Cause: 'at handler (/var/task/index.mjs:1:2)' },
    });

    expect(outcome.error).toEqual({
      code: 'SNAPSHOT_FAILED',
      message: 'the snapshot could not be taken',
    });
  });

  it('emits Snapshot Failed once however often the step runs', async () => {
    const { ports, slice } = given;
    const step = await aRequestedSnapshot(ports, slice);
    await confirmSliceLockForSnapshot(ports, step);

    await failSnapshotCreation(ports, { ...step, error: STORE_DOWN });
    const again = await failSnapshotCreation(ports, { ...step, error: STORE_DOWN });

    expect(again.status).toBe('failed');
    expect(failed(1)).toBe(true);
  });

  it('leaves a lock that another operation holds', async () => {
    const { ports, slice } = given;
    const step = await aRequestedSnapshot(ports, slice);
    await lockTakenByAnother(ports, slice.id, step.operationId, NOW);

    await failSnapshotCreation(ports, { ...step, error: { Error: 'SliceBusyError' } });

    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: 'op_other' },
    });
  });

  it('completes the registration of a snapshot that became available before a step failed', async () => {
    const { ports, slice } = given;
    const { step } = await anUploadingSnapshot(ports, slice);
    ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, {
      diskBytes: 1,
      usedBytes: 1,
      chunkHashes: [],
    });
    const registered = await registerSnapshot(ports, step);
    const operation = await ports.operations.get(ACCOUNT, step.operationId);
    if (!operation) throw new Error('no operation');
    // As if the operation's last write had failed after the snapshot was stored as available.
    await ports.operations.update(operation, { ...operation, status: 'running', finishedAt: null });

    const outcome = await failSnapshotCreation(ports, {
      ...step,
      error: { Error: 'EventPublishFailedError' },
    });

    expect(outcome).toEqual({ status: 'available', error: null });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toEqual(registered);
    await expectOperationSucceeded(ports, step.operationId);
    expect(failed(0)).toBe(true);
  });
});
