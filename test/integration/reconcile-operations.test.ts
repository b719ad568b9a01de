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

  /**
   * Stops the execution, waits for the reconciler to end its operation, and checks that it ended
   * it as failed, aborted by the stop.
   */
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
    expect(ended).toMatchObject({
      status: 'failed',
      error: { code: 'WORKFLOW_ABORTED', message: expect.any(String) },
    });
    return ended;
  }

  /**
   * Holds the agent's next command of `type` (it waits forever), sends `request`, and stops
   * `workflow` once the held command is under way; answers the request's answer.
   */
  async function stopWhileHeld<Answer extends { body: { operation: OperationView } }>(
    type: AgentCommandType,
    token: string,
    workflow: string,
    request: () => Promise<Answer>,
  ): Promise<Answer> {
    const held = bed.front.holdNext(type);
    const accepted = await request();
    await held;
    await stopAndReconcile(token, workflow, accepted.body.operation.id);
    return accepted;
  }

  /** Checks that a snapshot the stopped operation took on its way failed with `code`. */
  async function expectSnapshotFailed(token: string, snapshotId: string, code: string) {
    expect(await bed.snapshot(token, snapshotId)).toMatchObject({
      status: 'failed',
      error: { code },
    });
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

    const accepted = await stopWhileHeld('write-image', token, 'restore-slice', () =>
      bed.restore(token, snapshot.id),
    );

    await expectSliceActive(bed, token, slice.id);
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    expect(await bed.eventsOfOperation(accepted.body.operation.id, 3)).toEqual([
      'Slice Restore Started',
      'Snapshot Failed',
      'Slice Restore Failed',
    ]);
    // The disk it was to keep for its undo: captured before the write, now discarded and failed.
    const keptId = (accepted.body.operation as { undoSnapshotId?: string }).undoSnapshotId;
    await expectSnapshotFailed(token, keptId ?? '', 'RESTORE_FAILED');
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

    const created = await stopWhileHeld('write-image', token, 'create-slice', () =>
      bed.api<{ slice: SliceView; operation: OperationView }>(token, 'POST', '/v1/slices', {
        body: { name: 'from-it', region: 'fra1', diskGB: 1, snapshotId: snapshot.id },
      }),
    );

    expect(await bed.slice(token, created.body.slice.id)).toMatchObject({
      status: 'error',
      power: 'off',
    });
    expect((await bed.purge(token, snapshot.id)).status).toBe(202);
  });

  it('finishes a power change stopped mid-step, the slice powered as before', async () => {
    const { token, slice } = await bed.sliceWithData(1);

    await stopWhileHeld('power-off', token, 'change-slice-power', () =>
      bed.power(token, slice.id, 'off'),
    );

    await expectSliceActive(bed, token, slice.id);
  });

  it('finishes a slice deletion stopped before its disk went: the slice kept, on again', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const before = await bed.copyOfDisk(slice.id);

    await stopWhileHeld('delete-disk', token, 'delete-slice', () =>
      bed.deleteSlice(token, slice.id),
    );

    await expectSliceActive(bed, token, slice.id);
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
  });

  it('finishes a restore stopped while the replaced disk uploads: rolled back, its kept snapshot failed', async () => {
    const { token, slice } = await bed.sliceWithData(2);
    const snapshot = await bed.snapshotOf(token, slice.id);
    bed.writeData(slice.id, [{ offset: 0, bytes: 4 * MIB }], slice.diskBytes);
    const before = await bed.copyOfDisk(slice.id);

    const accepted = await stopWhileHeld('upload', token, 'restore-slice', () =>
      bed.api<{ operation: OperationView & { undoSnapshotId: string } }>(
        token,
        'POST',
        `/v1/snapshots/${snapshot.id}/restore`,
        { body: { confirm: true } },
      ),
    );

    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    expect(await bed.slice(token, slice.id)).toMatchObject({
      status: 'active',
      power: 'on',
    });
    const keptId = accepted.body.operation.undoSnapshotId;
    await expectSnapshotFailed(token, keptId, 'RESTORE_FAILED');
    expect(bed.captures(slice.id)).toEqual([]);
  });

  it('finishes a deletion stopped while its final snapshot uploads: the slice kept, the snapshot failed', async () => {
    const { token, slice } = await bed.sliceWithData(2);
    const before = await bed.copyOfDisk(slice.id);

    const accepted = await stopWhileHeld('upload', token, 'delete-slice', () =>
      bed.api<{ operation: OperationView & { finalSnapshotId: string } }>(
        token,
        'DELETE',
        `/v1/slices/${slice.id}?finalSnapshot=true`,
      ),
    );

    await expectSliceActive(bed, token, slice.id);
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    const finalId = accepted.body.operation.finalSnapshotId;
    await expectSnapshotFailed(token, finalId, 'WORKFLOW_ABORTED');
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

    await stopAndReconcile(token, 'delete-snapshot', deletion.body.operation.id);

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
