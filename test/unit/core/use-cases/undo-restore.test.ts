import { describe, expect, it } from 'vitest';
import type { MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { completeRestore } from '../../../../core/use-cases/complete-restore.ts';
import { dropUndoSnapshot } from '../../../../core/use-cases/drop-undo-snapshot.ts';
import { failRestore } from '../../../../core/use-cases/fail-restore.ts';
import { keepUndoSnapshot } from '../../../../core/use-cases/keep-undo-snapshot.ts';
import { markSnapshotCaptured } from '../../../../core/use-cases/mark-snapshot-captured.ts';
import {
  prepareDiskCapture,
  type UndoStepInput,
} from '../../../../core/use-cases/prepare-disk-capture.ts';
import { requestRestore } from '../../../../core/use-cases/request-restore.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { undoRestore } from '../../../../core/use-cases/undo-restore.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { aPowerChange, aSliceWithASnapshot } from './support/use-case-steps.ts';

/** A restore of the slice from its snapshot, requested: its records and its steps' input. */
async function aRequestedRestoreOf(ports: MemoryPorts, snapshotId: string, keepCurrent = true) {
  const requested = await requestRestore(ports, { accountId: ACCOUNT, snapshotId, keepCurrent });
  const { operation, slice } = requested;
  const step = { accountId: ACCOUNT, sliceId: slice.id, snapshotId, operationId: operation.id };
  return { ...requested, step };
}

/** A restore of the slice from its snapshot taken to the end, keeping the disk it replaced. */
async function aSucceededRestore(ports: MemoryPorts, snapshotId: string, keepCurrent = true) {
  const { operation, slice, snapshot, step } = await aRequestedRestoreOf(
    ports,
    snapshotId,
    keepCurrent,
  );
  const undoSnapshotId = operation.undoSnapshotId;
  if (undoSnapshotId) {
    const undo: UndoStepInput = { ...step, undoSnapshotId };
    const plan = await prepareDiskCapture(ports, { ...undo, snapshotId: undo.undoSnapshotId });
    await markSnapshotCaptured(ports, {
      ...step,
      snapshotId: undoSnapshotId,
      capturePower: 'off',
      poweredOff: false,
      lockedAt: plan.preparedAt,
    });
    ports.images.in('fra1').putImage(ACCOUNT, undoSnapshotId, {
      diskBytes: slice.diskBytes,
      usedBytes: BYTES_PER_GIB,
      chunkHashes: ['chunk-1'],
    });
    await keepUndoSnapshot(ports, undo);
  }
  await completeRestore(ports, { ...step, usedBytes: snapshot.sizeBytes });
  const done = await ports.operations.get(ACCOUNT, operation.id);
  if (!done) throw new Error('no operation');
  return done;
}

const given = givenPorts(async (ports) => {
  const { slice, snapshot } = await aSliceWithASnapshot(ports);
  const restore = await aSucceededRestore(ports, snapshot.id);
  return { slice, snapshot, restore };
});

/** Asks to undo the operation `operationId`, as the account (or `accountId`, if another) would. */
const askUndo = (operationId: string, accountId = ACCOUNT) =>
  undoRestore(given.ports, { accountId, operationId });

describe('undoRestore', () => {
  it("restores the slice from the kept snapshot, read from the recycle bin, keeping the undo's own replaced disk", async () => {
    const { ports, slice, restore } = given;

    const { operation, snapshot } = await undoRestore(ports, {
      accountId: ACCOUNT,
      operationId: restore.id,
    });

    expect(snapshot.id).toBe(restore.undoSnapshotId);
    expect(operation).toMatchObject({
      type: 'slice.restore',
      status: 'running',
      resourceId: slice.id,
      undoSnapshotId: expect.stringMatching(/^snp_/),
    });
    expect(operation.undoSnapshotId).not.toBe(restore.undoSnapshotId);
    const kept = await ports.snapshots.get(ACCOUNT, snapshot.id);
    expect(kept).toMatchObject({ status: 'recycled' });
    expect(kept?.readers.map((reader) => reader.operationId)).toEqual([operation.id]);
    expect(ports.workflows.started.at(-1)).toEqual({
      workflow: 'restore-slice',
      input: {
        accountId: ACCOUNT,
        sliceId: slice.id,
        operationId: operation.id,
        snapshotId: snapshot.id,
        undoSnapshotId: operation.undoSnapshotId,
      },
    });
  });

  it('keeps nothing of the disk it replaces with keepCurrent false', async () => {
    const { ports, restore } = given;

    const { operation } = await undoRestore(ports, {
      accountId: ACCOUNT,
      operationId: restore.id,
      keepCurrent: false,
    });

    expect(operation.undoSnapshotId).toBeNull();
  });

  it('answers an operation of another account as not found', async () => {
    const { ports, restore } = given;

    await expect(askUndo(restore.id, 'acct-2')).rejects.toMatchObject({
      code: 'OPERATION_NOT_FOUND',
    });
    expect(
      ports.workflows.started.filter((each) => each.workflow === 'restore-slice'),
    ).toHaveLength(1);
  });

  it('refuses an operation that is not a restore', async () => {
    const { ports, slice } = given;
    const power = await aPowerChange(ports, slice, 'off');

    await expect(askUndo(power.operationId)).rejects.toMatchObject({
      code: 'OPERATION_NOT_UNDOABLE',
    });
  });

  it('refuses a restore that has not succeeded', async () => {
    const { ports, snapshot } = given;
    const { operation, step } = await aRequestedRestoreOf(ports, snapshot.id);
    await failRestore(ports, {
      ...step,
      error: { Error: 'AgentUnreachable' },
      undoSnapshotId: operation.undoSnapshotId,
    });

    await expect(askUndo(operation.id)).rejects.toMatchObject({ code: 'OPERATION_NOT_UNDOABLE' });
  });

  it('refuses a restore that kept no disk, as asked', async () => {
    const { ports, snapshot } = given;
    const restore = await aSucceededRestore(ports, snapshot.id, false);

    await expect(askUndo(restore.id)).rejects.toMatchObject({ code: 'UNDO_NOT_AVAILABLE' });
  });

  it('refuses a restore that could not keep the disk, naming why', async () => {
    const { ports, snapshot } = given;
    const { operation, step } = await aRequestedRestoreOf(ports, snapshot.id);
    await dropUndoSnapshot(ports, {
      ...step,
      undoSnapshotId: operation.undoSnapshotId ?? '',
      error: { Error: 'StoreUnavailable' },
    });
    await completeRestore(ports, { ...step, snapshotId: snapshot.id, usedBytes: 1 });

    const refusal = askUndo(operation.id);

    await expect(refusal).rejects.toMatchObject({ code: 'UNDO_NOT_AVAILABLE' });
    await expect(refusal).rejects.toThrow(/image store/);
  });

  it('refuses once the kept snapshot has been purged', async () => {
    const { ports, restore } = given;
    await requestSnapshotDeletion(ports, {
      accountId: ACCOUNT,
      snapshotId: restore.undoSnapshotId ?? '',
      purge: true,
    });

    await expect(askUndo(restore.id)).rejects.toMatchObject({ code: 'UNDO_EXPIRED' });
  });
});
