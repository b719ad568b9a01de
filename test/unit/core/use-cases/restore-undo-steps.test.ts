import { describe, expect, it } from 'vitest';
import type { MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { RestoreStepInput } from '../../../../core/use-cases/complete-restore.ts';
import { completeRestore } from '../../../../core/use-cases/complete-restore.ts';
import { dropUndoSnapshot } from '../../../../core/use-cases/drop-undo-snapshot.ts';
import { failRestore } from '../../../../core/use-cases/fail-restore.ts';
import { keepUndoSnapshot } from '../../../../core/use-cases/keep-undo-snapshot.ts';
import { markSnapshotCaptured } from '../../../../core/use-cases/mark-snapshot-captured.ts';
import {
  prepareDiskCapture,
  type UndoStepInput,
} from '../../../../core/use-cases/prepare-disk-capture.ts';
import { ACCOUNT, givenPorts, TWENTY_MINUTES_LATER as KEPT_AT } from './support/given-ports.ts';
import { eventsOf, expectOperationFailed } from './support/outcomes.ts';
import { aRestoreUnderWay } from './support/use-case-steps.ts';
import { AGENT_UNREACHABLE } from './support/workflow-errors.ts';

const DAY_MS = 86_400_000;

const given = givenPorts(async (ports) => {
  const { slice, snapshot, step } = await aRestoreUnderWay(ports, {
    usedBytes: 2 * BYTES_PER_GIB,
  });
  const operation = await ports.operations.get(ACCOUNT, step.operationId);
  const undo: UndoStepInput = {
    accountId: ACCOUNT,
    sliceId: slice.id,
    operationId: step.operationId,
    undoSnapshotId: operation?.undoSnapshotId ?? '',
  };
  return { slice, snapshot, step, undo };
});

/** The restore's undo snapshot, as stored. */
function undoSnapshotOf(ports: MemoryPorts, undo: UndoStepInput) {
  return ports.snapshots.get(ACCOUNT, undo.undoSnapshotId);
}

/** Prepares the capture of the disk the restore replaces, into the restore's undo snapshot. */
function prepareUndoCapture(ports: MemoryPorts, undo: UndoStepInput) {
  return prepareDiskCapture(ports, { ...undo, snapshotId: undo.undoSnapshotId });
}

/** The disk the restore replaces, captured and uploaded as the agent would: its image stored. */
async function captureAndUpload(ports: MemoryPorts, undo: UndoStepInput): Promise<void> {
  const plan = await prepareUndoCapture(ports, undo);
  await markSnapshotCaptured(ports, {
    ...undo,
    snapshotId: undo.undoSnapshotId,
    capturePower: 'off',
    poweredOff: false,
    lockedAt: plan.preparedAt,
  });
  ports.images.in('fra1').putChunks(ACCOUNT, ['chunk-1', 'chunk-9']);
  ports.images.in('fra1').putImage(ACCOUNT, undo.undoSnapshotId, {
    diskBytes: given.slice.diskBytes,
    usedBytes: BYTES_PER_GIB,
    chunkHashes: ['chunk-1', 'chunk-9'],
  });
  ports.clock.set(KEPT_AT);
}

function committed(step: RestoreStepInput) {
  return completeRestore(given.ports, { ...step, usedBytes: given.snapshot.sizeBytes });
}

describe('prepareDiskCapture', () => {
  it("builds on the slice's latest snapshot and starts the capture", async () => {
    const { ports, undo, snapshot } = given;

    const plan = await prepareUndoCapture(ports, undo);

    expect(plan.baseSnapshotIds).toEqual([snapshot.id]);
    expect(await undoSnapshotOf(ports, undo)).toMatchObject({
      status: 'capturing',
    });
  });

  it('refuses to act for a restore that no longer holds the slice', async () => {
    const { ports, undo, step } = given;
    await failRestore(ports, { ...step, error: AGENT_UNREACHABLE });

    await expect(prepareUndoCapture(ports, undo)).rejects.toMatchObject({
      code: 'SLICE_LOCK_NOT_HELD',
    });
  });
});

describe('keepUndoSnapshot', () => {
  it('puts the uploaded snapshot straight into the recycle bin, unbilled, and offers the undo until its purge', async () => {
    const { ports, undo, step } = given;
    await captureAndUpload(ports, undo);

    const kept = await keepUndoSnapshot(ports, undo);
    await committed(step);

    const purgeAt = new Date(Date.parse(KEPT_AT) + 7 * DAY_MS).toISOString();
    expect(kept).toMatchObject({
      status: 'recycled',
      purgeAt,
      deletedAt: KEPT_AT,
      completedAt: KEPT_AT,
      sizeBytes: BYTES_PER_GIB,
      labels: { 'slice-snapshots/auto': 'pre-restore' },
    });
    const billed = await ports.usage.forAccount(ACCOUNT, '2025-03');
    expect(billed.map((usage) => usage.snapshotId)).not.toContain(kept.id);
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      undoSnapshotId: kept.id,
      undoUntil: purgeAt,
      undoError: null,
    });
    expect(eventsOf(ports, EVENT.snapshotRecycled).map((event) => event.detail)).toEqual([
      expect.objectContaining({ snapshotId: kept.id, purgeAt, operationId: step.operationId }),
    ]);
  });

  it('keeps it a day even when the account turned its recycle bin off', async () => {
    const { ports, undo } = given;
    await ports.settings.save({ accountId: ACCOUNT, recycleBinDays: 0, updatedAt: KEPT_AT });
    await captureAndUpload(ports, undo);

    const kept = await keepUndoSnapshot(ports, undo);

    expect(kept.purgeAt).toBe(new Date(Date.parse(KEPT_AT) + DAY_MS).toISOString());
  });

  it('changes nothing and emits nothing again when retried', async () => {
    const { ports, undo } = given;
    await captureAndUpload(ports, undo);
    const first = await keepUndoSnapshot(ports, undo);
    ports.clock.advanceSeconds(60);

    const again = await keepUndoSnapshot(ports, undo);

    expect(again).toEqual(first);
    expect(eventsOf(ports, EVENT.snapshotRecycled)).toHaveLength(1);
  });

  it('refuses an image whose chunks are missing, keeping nothing', async () => {
    const { ports, undo } = given;
    await prepareUndoCapture(ports, undo);
    await markSnapshotCaptured(ports, {
      ...undo,
      snapshotId: undo.undoSnapshotId,
      capturePower: 'off',
      poweredOff: false,
      lockedAt: KEPT_AT,
    });
    ports.images.in('fra1').putImage(ACCOUNT, undo.undoSnapshotId, {
      diskBytes: given.slice.diskBytes,
      usedBytes: BYTES_PER_GIB,
      chunkHashes: ['never-stored'],
    });

    await expect(keepUndoSnapshot(ports, undo)).rejects.toMatchObject({ code: 'IMAGE_INCOMPLETE' });
    expect(await undoSnapshotOf(ports, undo)).toMatchObject({
      status: 'uploading',
    });
  });
});

describe('dropUndoSnapshot', () => {
  it('fails the snapshot and lets the restore succeed without an undo, saying why', async () => {
    const { ports, undo, step } = given;
    await prepareUndoCapture(ports, undo);

    const dropped = await dropUndoSnapshot(ports, {
      ...undo,
      error: { Error: 'StoreUnavailable', Cause: 's3 said no' },
    });
    await committed(step);

    expect(dropped).toEqual({ cleanUp: true });
    expect(await undoSnapshotOf(ports, undo)).toMatchObject({
      status: 'failed',
      error: { code: 'STORE_UNAVAILABLE' },
    });
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      error: null,
      undoSnapshotId: null,
      undoUntil: null,
      undoError: { code: 'STORE_UNAVAILABLE' },
    });
  });

  it('says UNDO_NOT_KEPT when the step that failed had no code of its own', async () => {
    const { ports, undo, step } = given;

    await dropUndoSnapshot(ports, { ...undo, error: null });

    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      undoError: { code: 'UNDO_NOT_KEPT' },
    });
  });

  it('leaves a snapshot that reached the recycle bin kept', async () => {
    const { ports, undo } = given;
    await captureAndUpload(ports, undo);
    await keepUndoSnapshot(ports, undo);

    const dropped = await dropUndoSnapshot(ports, { ...undo, error: null });

    expect(dropped).toEqual({ cleanUp: false });
    expect(await undoSnapshotOf(ports, undo)).toMatchObject({
      status: 'recycled',
    });
  });
});

describe('failRestore, for a restore that was to keep the replaced disk', () => {
  it('fails the snapshot that was to keep it and ends its upload', async () => {
    const { ports, undo, step } = given;
    await prepareUndoCapture(ports, undo);

    await failRestore(ports, {
      ...step,
      error: AGENT_UNREACHABLE,
      undoSnapshotId: undo.undoSnapshotId,
    });

    expect(await undoSnapshotOf(ports, undo)).toMatchObject({
      status: 'failed',
      error: { code: 'RESTORE_FAILED' },
    });
    await expectOperationFailed(ports, step.operationId, { code: 'AGENT_UNREACHABLE' });
  });
});
