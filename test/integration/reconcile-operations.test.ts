import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentCommandType } from '../../agent/protocol/commands.ts';
import { HOLD_DELETION, heldDeletion } from './support/held-deletion.ts';
import { expectSliceActive } from './support/slice-checks.ts';
import {
  eventually,
  MIB,
  type OperationView,
  type SliceView,
  SnapshotBed,
  sameBytes,
} from './support/snapshot-bed.ts';

/**
 * Every workflow stopped in the middle of a step (StopExecution, as an operator would in the
 * console): no `Catch` runs, so the execution's status change reaches the reconciler through the
 * default bus, which finishes the operation the way the workflow's compensation would. The real
 * state machine files, handlers and agent; the agent's command is held by the front, the upload
 * slowed by the store, or a deletion held by a Wait placed before its first step, so that the
 * execution is stopped while it waits.
 */
describe('operations whose workflow was stopped', () => {
  const bed = SnapshotBed.forSuite({
    heartbeatMs: 500,
    adjustDefinition: heldDeletion,
  });
  /** How long each reconciliation took, from StopExecution to the operation ended. */
  const reconciledInMs: Record<string, number> = {};

  afterAll(() => {
    process.stdout.write(`reconciled in (ms): ${JSON.stringify(reconciledInMs)}\n`);
  });

  /** Stops the execution, then waits for the reconciler to end its operation. */
  async function stopAndReconcile(
    token: string,
    workflow: string,
    operationId: string,
  ): Promise<OperationView> {
    const stoppedAt = performance.now();
    await bed.sfn.send(
      new StopExecutionCommand({
        executionArn: bed.executionArn(workflow, operationId),
        cause: 'stopped by an operator',
      }),
    );
    const ended = await eventually(async () => {
      const current = await bed.operation(token, operationId);
      return current.status !== 'running' && current;
    }, `${workflow} ${operationId} reconciled`);
    reconciledInMs[workflow] = Math.round(performance.now() - stoppedAt);
    expect((await bed.finished(workflow, operationId)).status).toBe('ABORTED');
    return ended;
  }

  /** The agent's next command of `type` waits forever: the step is under way when it is stopped. */
  function holdNext(type: AgentCommandType) {
    return bed.front.holdNext(type);
  }

  it('finishes a snapshot stopped mid-upload: failed, the slice back on, no manifest left over', async () => {
    const { accountId, token, slice } = await bed.sliceWithData(3);
    bed.store.fault('slow', { afterPuts: 1, delayMs: 1_500 });
    try {
      const accepted = await bed.requestSnapshot(token, slice.id, { powerOff: true });
      const { snapshot, operation: started } = accepted.body;
      await eventually(
        async () => bed.store.chunkPuts >= 1 && (await bed.captures(slice.id)).length > 0,
        'the upload under way',
      );

      const ended = await stopAndReconcile(token, 'create-snapshot', started.id);

      expect(ended).toMatchObject({
        status: 'failed',
        error: { code: 'WORKFLOW_ABORTED', message: expect.any(String) },
      });
      expect(await bed.snapshot(token, snapshot.id)).toMatchObject({
        status: 'failed',
        error: ended.error,
        monthlyCost: { amount: '0.00' },
      });
      await expectSliceActive(bed, token, slice.id);
      expect(bed.captures(slice.id)).toEqual([]);
      // No manifest of the failed snapshot is left; the chunks its upload wrote wait for the
      // chunk collection.
      expect(await bed.manifests(accountId)).not.toContain(snapshot.id);
      expect(await bed.chunkKeys(accountId)).not.toEqual([]);
      expect(await bed.eventsOf(snapshot.id, 3)).toEqual([
        'Snapshot Requested',
        'Snapshot Captured',
        'Snapshot Failed',
      ]);
    } finally {
      bed.store.fault('none');
    }
    // Nothing of it is in the way of the next snapshot.
    const next = await bed.snapshotOf(token, slice.id);
    expect(next.status).toBe('available');
  });

  it('finishes a restore stopped while the image is written: the disk and power as before', async () => {
    const { accountId, token, slice } = await bed.sliceWithData(2);
    const snapshot = await bed.snapshotOf(token, slice.id);
    bed.writeData(slice.id, [{ offset: 0, bytes: 4 * MIB }], slice.diskBytes);
    const before = await bed.copyOfDisk(slice.id);
    const held = holdNext('write-image');
    const accepted = await bed.restore(token, snapshot.id);
    await held;

    const ended = await stopAndReconcile(token, 'restore-slice', accepted.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    await expectSliceActive(bed, token, slice.id);
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    expect(await bed.eventsOfOperation(accepted.body.operation.id, 3)).toEqual([
      'Slice Restore Started',
      'Snapshot Failed',
      'Slice Restore Failed',
    ]);
    // The disk it was to keep for its undo: captured before the write, now discarded and failed.
    const keptId = (accepted.body.operation as { undoSnapshotId?: string }).undoSnapshotId;
    expect(await bed.snapshot(token, keptId ?? '')).toMatchObject({
      status: 'failed',
      error: { code: 'RESTORE_FAILED' },
    });
    expect(bed.captures(slice.id)).toEqual([]);
    // The snapshot is no longer read: it can be deleted.
    const deletion = await bed.purge(token, snapshot.id);
    expect(deletion.status).toBe(202);
    const stored = await bed.chunkKeys(accountId);
    expect(stored).toEqual(expect.arrayContaining(await bed.referencedChunkKeys(accountId)));
  });

  it('finishes a slice built from a snapshot stopped while its disk is written', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const snapshot = await bed.snapshotOf(token, slice.id);
    const held = holdNext('write-image');
    const created = await bed.api<{ slice: SliceView; operation: OperationView }>(
      token,
      'POST',
      '/v1/slices',
      { body: { name: 'from-it', region: 'fra1', diskGB: 1, snapshotId: snapshot.id } },
    );
    await held;

    const ended = await stopAndReconcile(token, 'create-slice', created.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    expect(await bed.slice(token, created.body.slice.id)).toMatchObject({
      status: 'error',
      power: 'off',
    });
    expect((await bed.purge(token, snapshot.id)).status).toBe(202);
  });

  it('finishes a power change stopped mid-step, the slice powered as before', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const held = holdNext('power-off');
    const accepted = await bed.power(token, slice.id, 'off');
    await held;

    const ended = await stopAndReconcile(token, 'change-slice-power', accepted.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    await expectSliceActive(bed, token, slice.id);
  });

  it('finishes a slice deletion stopped before its disk went: the slice kept, on again', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const before = await bed.copyOfDisk(slice.id);
    const held = holdNext('delete-disk');
    const accepted = await bed.deleteSlice(token, slice.id);
    await held;

    const ended = await stopAndReconcile(token, 'delete-slice', accepted.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    await expectSliceActive(bed, token, slice.id);
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
  });

  it('finishes a restore stopped while the replaced disk uploads: rolled back, its kept snapshot failed', async () => {
    const { token, slice } = await bed.sliceWithData(2);
    const snapshot = await bed.snapshotOf(token, slice.id);
    bed.writeData(slice.id, [{ offset: 0, bytes: 4 * MIB }], slice.diskBytes);
    const before = await bed.copyOfDisk(slice.id);
    const held = holdNext('upload');
    const accepted = await bed.api<{ operation: OperationView & { undoSnapshotId: string } }>(
      token,
      'POST',
      `/v1/snapshots/${snapshot.id}/restore`,
      { body: { confirm: true } },
    );
    await held;

    const ended = await stopAndReconcile(token, 'restore-slice', accepted.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    expect(await bed.slice(token, slice.id)).toMatchObject({
      status: 'active',
      power: 'on',
    });
    const keptId = accepted.body.operation.undoSnapshotId;
    expect(await bed.snapshot(token, keptId)).toMatchObject({
      status: 'failed',
      error: { code: 'RESTORE_FAILED' },
    });
    expect(bed.captures(slice.id)).toEqual([]);
  });

  it('finishes a deletion stopped while its final snapshot uploads: the slice kept, the snapshot failed', async () => {
    const { token, slice } = await bed.sliceWithData(2);
    const before = await bed.copyOfDisk(slice.id);
    const held = holdNext('upload');
    const accepted = await bed.api<{ operation: OperationView & { finalSnapshotId: string } }>(
      token,
      'DELETE',
      `/v1/slices/${slice.id}?finalSnapshot=true`,
    );
    await held;

    const ended = await stopAndReconcile(token, 'delete-slice', accepted.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    expect(await bed.slice(token, slice.id)).toMatchObject({
      status: 'active',
      power: 'on',
    });
    expect(bed.agentPower(slice.id).power).toBe('on');
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    const finalId = accepted.body.operation.finalSnapshotId;
    expect(await bed.snapshot(token, finalId)).toMatchObject({
      status: 'failed',
      error: { code: 'WORKFLOW_ABORTED' },
    });
    expect(bed.captures(slice.id)).toEqual([]);
  });

  it('finishes a snapshot deletion stopped before its image went; deleting again resumes', async () => {
    const { accountId, token, slice } = await bed.sliceWithData(2);
    const first = await bed.snapshotOf(token, slice.id);
    bed.writeData(slice.id, [{ offset: 0, bytes: 4 * MIB }], slice.diskBytes);
    const second = await bed.snapshotOf(token, slice.id);
    const deletion = await bed.purge(token, first.id);
    await eventually(
      async () =>
        (await bed.statesEntered(deletion.body.operation.id, 'delete-snapshot')).includes(
          HOLD_DELETION,
        ),
      'the deletion held before DeleteImage',
    );

    const ended = await stopAndReconcile(token, 'delete-snapshot', deletion.body.operation.id);

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    expect((await bed.snapshot(token, first.id)).status).toBe('deleting');
    expect(await bed.manifests(accountId)).toContain(first.id);
    const again = await bed.purge(token, first.id);
    expect((await bed.finished('delete-snapshot', again.body.operation.id)).status).toBe(
      'SUCCEEDED',
    );
    expect(await bed.manifests(accountId)).toEqual([second.id]);
    const stored = await bed.chunkKeys(accountId);
    expect(stored).toEqual(expect.arrayContaining(await bed.referencedChunkKeys(accountId)));
  });
});
