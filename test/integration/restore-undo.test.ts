import { describe, expect, it } from 'vitest';
import { expectAccepted, expectSliceActive } from './support/slice-checks.ts';
import {
  type OperationView,
  SnapshotBed,
  type SnapshotView,
  sameBytes,
} from './support/snapshot-bed.ts';

interface RestoreView extends OperationView {
  undoSnapshotId: string | null;
  undoUntil: string | null;
  undoError: { code: string; message: string } | null;
}
interface KeptView extends SnapshotView {
  purgeAt: string | null;
  labels: Record<string, string>;
}

describe('undoing a restore, through the real agent', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  /** A running slice with data and an available snapshot of it, then more data written. */
  async function sliceChangedSinceItsSnapshot(token: string) {
    const { slice, snapshotId } = await bed.sliceWithSnapshot(token, { name: 'db' });
    bed.overwrite(slice);
    return { slice, snapshotId, current: await bed.copyOfDisk(slice.id) };
  }

  async function restored(token: string, snapshotId: string, body: Record<string, unknown>) {
    const accepted = await bed.restore<RestoreView>(token, snapshotId, body);
    const execution = await bed.finished('restore-slice', accepted.body.operation.id);
    const operation = await bed.operation<RestoreView>(token, accepted.body.operation.id);
    return { accepted, execution, operation };
  }

  function undo(token: string, operationId: string, body: Record<string, unknown>) {
    return bed.api<{ operation: RestoreView }>(
      token,
      'POST',
      `/v1/operations/${operationId}/undo`,
      { body },
    );
  }

  it('keeps the replaced disk in the recycle bin, and the undo puts it back byte for byte', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId, current } = await sliceChangedSinceItsSnapshot(token);

    const { accepted, execution, operation } = await restored(token, snapshotId, {
      confirm: true,
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(accepted.body.operation).toMatchObject({
      undoSnapshotId: expect.stringMatching(/^snp_/),
      undoUntil: null,
    });
    expect(sameBytes(bed.diskPath(slice.id), current)).toBe(false);
    expect(operation).toMatchObject({ status: 'succeeded', undoError: null });
    const keptId = operation.undoSnapshotId ?? '';
    expect(keptId).toBe(accepted.body.operation.undoSnapshotId);
    const kept = await bed.snapshot<KeptView>(token, keptId);
    expect(kept).toMatchObject({
      status: 'recycled',
      sliceId: slice.id,
      name: expect.stringMatching(/^db-before-restore-\d{10}$/),
      labels: { 'slice-snapshots/auto': 'pre-restore' },
      consistency: 'powered-off',
      monthlyCost: { amount: '0.00' },
      purgeAt: operation.undoUntil,
    });
    expect(Date.parse(kept.purgeAt ?? '') - Date.parse(kept.completedAt ?? '')).toBe(
      7 * 86_400_000,
    );
    // Incremental: the chunks the snapshot before the restore holds were not sent again.
    const upload = (await bed.stateOutput(operation.id, 'UploadUndoImage', 'restore-slice'))
      .undoUpload as { uploadedChunks: number; reusedChunks: number };
    expect(upload.reusedChunks).toBeGreaterThan(0);
    expect(upload.uploadedChunks).toBeLessThanOrEqual(2);
    expect(bed.captures(slice.id)).toEqual([]);
    const listed = await bed.api<{ items: { id: string }[] }>(token, 'GET', '/v1/snapshots');
    expect(listed.body.items.map((each) => each.id)).not.toContain(keptId);

    const undone = await undo(token, operation.id, { confirm: true });
    const undoExecution = await bed.finished('restore-slice', undone.body.operation.id);

    expectAccepted(undone, 'slice.restore', { type: 'slice', id: slice.id });
    expect(undoExecution.status).toBe('SUCCEEDED');
    expect(sameBytes(bed.diskPath(slice.id), current)).toBe(true);
    await expectSliceActive(bed, token, slice.id);
    expect((await bed.snapshot<KeptView>(token, keptId)).status).toBe('recycled');
  });

  it('answers 400 to an undo without confirm: true, and nothing is locked', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId } = await sliceChangedSinceItsSnapshot(token);
    const { operation } = await restored(token, snapshotId, { confirm: true });

    const refused = await undo(token, operation.id, {});

    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'body.confirm' })],
    });
    expect((await bed.slice(token, slice.id)).status).toBe('active');
  });

  it('keeps nothing with keepCurrent false, and then has no undo', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId } = await sliceChangedSinceItsSnapshot(token);

    const { operation } = await restored(token, snapshotId, {
      confirm: true,
      keepCurrent: false,
    });
    const refused = await undo(token, operation.id, { confirm: true });

    expect(operation).toMatchObject({ status: 'succeeded', undoSnapshotId: null, undoError: null });
    expect(await bed.statesEntered(operation.id, 'restore-slice')).not.toContain(
      'CaptureCurrentDisk',
    );
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'UNDO_NOT_AVAILABLE' });
    expect(bed.captures(slice.id)).toEqual([]);
  });

  it('succeeds without an undo when the replaced disk cannot be uploaded, saying why', async () => {
    const { token, accountId } = await bed.account();
    const { slice, snapshotId, current } = await sliceChangedSinceItsSnapshot(token);
    const chunksBefore = await bed.chunkKeys(accountId);
    bed.front.failNext('upload', { name: 'AgentError', message: 'upload failed on purpose' });

    const { accepted, execution, operation } = await restored(token, snapshotId, {
      confirm: true,
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(sameBytes(bed.diskPath(slice.id), current)).toBe(false);
    expect(operation).toMatchObject({
      status: 'succeeded',
      error: null,
      undoSnapshotId: null,
      undoUntil: null,
      undoError: { code: 'AGENT_FAILED' },
    });
    const keptId = accepted.body.operation.undoSnapshotId ?? '';
    expect(await bed.snapshot<KeptView>(token, keptId)).toMatchObject({
      status: 'failed',
      error: { code: 'AGENT_FAILED' },
    });
    expect(await bed.statesEntered(operation.id, 'restore-slice')).toEqual(
      expect.arrayContaining(['DropUndoSnapshot', 'DiscardUndoCapture', 'CleanUpUndoUpload']),
    );
    expect(bed.captures(slice.id)).toEqual([]);
    expect((await bed.chunkKeys(accountId)).sort()).toEqual(chunksBefore.sort());
    expect((await undo(token, operation.id, { confirm: true })).body).toMatchObject({
      status: 409,
      code: 'UNDO_NOT_AVAILABLE',
    });
  });

  it('fails the kept snapshot and leaves no capture when the restore itself fails', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId, current } = await sliceChangedSinceItsSnapshot(token);
    bed.front.failNext('write-image', { name: 'AgentError', message: 'failed on purpose' });

    const { accepted, execution, operation } = await restored(token, snapshotId, {
      confirm: true,
    });

    expect(execution.status).toBe('FAILED');
    expect(sameBytes(bed.diskPath(slice.id), current)).toBe(true);
    expect(operation).toMatchObject({ status: 'failed', error: { code: 'AGENT_FAILED' } });
    const keptId = accepted.body.operation.undoSnapshotId ?? '';
    expect(await bed.snapshot<KeptView>(token, keptId)).toMatchObject({
      status: 'failed',
      error: { code: 'RESTORE_FAILED' },
    });
    expect(bed.captures(slice.id)).toEqual([]);
    expect((await undo(token, operation.id, { confirm: true })).body).toMatchObject({
      status: 409,
      code: 'OPERATION_NOT_UNDOABLE',
    });
  });

  it("answers 404 to another account's undo, and 409 once the kept snapshot is purged", async () => {
    const alice = await bed.account();
    const bob = await bed.account();
    const { snapshotId } = await sliceChangedSinceItsSnapshot(alice.token);
    const { operation } = await restored(alice.token, snapshotId, { confirm: true });

    const foreign = await undo(bob.token, operation.id, { confirm: true });
    const purge = await bed.purge(alice.token, operation.undoSnapshotId ?? '');
    await bed.finished('delete-snapshot', purge.body.operation.id);
    const expired = await undo(alice.token, operation.id, { confirm: true });

    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'OPERATION_NOT_FOUND' });
    expect(expired.status).toBe(409);
    expect(expired.body).toMatchObject({ code: 'UNDO_EXPIRED' });
  });

  it('refuses to undo an operation that is not a restore', async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token, 'web', 50, 1);
    const taken = await bed.requestSnapshot(token, slice.id);
    await bed.finished('create-snapshot', taken.body.operation.id);

    const refused = await undo(token, taken.body.operation.id, { confirm: true });

    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'OPERATION_NOT_UNDOABLE' });
  });
});
