import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultCloud,
  type OperationView,
  type SliceView,
  type SnapshotView,
  until,
} from './support/fault-cloud.ts';
import {
  billingAgrees,
  noOrphanChunk,
  operationEnds,
  sameDisk,
  sliceSettled,
} from './support/invariants.ts';

/**
 * Kills the whole local cloud mid-step and runs `npm start` again, for the workflows around a
 * slice: a slice made from a snapshot, power, the slice's deletion and the snapshot's deletion.
 */
describe('slice and deletion workflows killed mid-step', () => {
  let cloud: FaultCloud;
  let slice: SliceView;
  let snapshotId: string;

  beforeAll(async () => {
    cloud = await FaultCloud.start();
    slice = await cloud.activeSlice('faults-2', 8);
    const { snapshot, operation } = await cloud.ok<{
      snapshot: SnapshotView;
      operation: OperationView;
    }>('POST', `/v1/slices/${slice.id}/snapshots`, { name: 'source', powerOff: false });
    await until(
      'the snapshot',
      () => cloud.operation(operation.id),
      (o) => o.status !== 'running',
    );
    snapshotId = snapshot.id;
  });

  afterAll(async () => {
    process.stdout.write(
      `operation ended, seconds after npm start: ${JSON.stringify(cloud?.figures)}\n`,
    );
    await cloud?.stop();
  });

  async function restartAndEnd(operationId: string, label: string): Promise<OperationView> {
    const since = performance.now();
    await cloud.restart();
    return operationEnds(cloud, operationId, label, since);
  }

  it('fails a slice from a snapshot killed in WriteImage, and writes no disk', async () => {
    const store = cloud.freeze('s3rver');
    const created = await cloud.ok<{ slice: SliceView; operation: OperationView }>(
      'POST',
      '/v1/slices',
      { name: 'from-snapshot', region: 'fra1', diskGB: 1, snapshotId },
    );
    await cloud.waitForStep(created.operation.id, 'WriteImage');
    await cloud.waitForAgentCommand(created.slice.id, 'write-image');

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(created.operation.id, 'create-from-snapshot/WriteImage');

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    const made = await cloud.slice(created.slice.id);
    expect(made.status).toBe('error');
    expect(existsSync(cloud.diskPath(created.slice.id))).toBe(false);
    await noOrphanChunk(cloud);
    await billingAgrees(cloud);
  });

  it('fails a power-off killed in PowerOffSlice: the slice runs', async () => {
    const before = cloud.copyDisk(slice.id);
    cloud.hangGuest(slice.id, true);
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'POST',
      `/v1/slices/${slice.id}/power`,
      { state: 'off' },
    );
    await cloud.waitForStep(operation.id, 'PowerOffSlice');
    await cloud.waitForAgentCommand(slice.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(slice.id, false);
    const ended = await restartAndEnd(operation.id, 'power/PowerOffSlice');

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    await sliceSettled(cloud, slice.id, 'on');
    sameDisk(cloud.diskPath(slice.id), before);
  });

  it('fails a slice deletion killed in PowerOffSlice: the slice runs on its disk', async () => {
    const before = cloud.copyDisk(slice.id);
    cloud.hangGuest(slice.id, true);
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'DELETE',
      `/v1/slices/${slice.id}`,
    );
    await cloud.waitForStep(operation.id, 'PowerOffSlice');
    await cloud.waitForAgentCommand(slice.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(slice.id, false);
    const ended = await restartAndEnd(operation.id, 'delete-slice/PowerOffSlice');

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    await sliceSettled(cloud, slice.id, 'on');
    expect((await cloud.slice(slice.id)).status).toBe('active');
    sameDisk(cloud.diskPath(slice.id), before);
  });

  it('fails a slice deletion killed in DeleteDisk before the agent ran it: disk kept, off', async () => {
    const off = await cloud.ok<{ operation: OperationView }>(
      'POST',
      `/v1/slices/${slice.id}/power`,
      { state: 'off' },
    );
    await until(
      'the power-off',
      () => cloud.operation(off.operation.id),
      (o) => o.status === 'succeeded',
    );
    const before = cloud.copyDisk(slice.id);
    // The agent is frozen, so the step holds while its command waits for an answer.
    cloud.freeze('agent');
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'DELETE',
      `/v1/slices/${slice.id}`,
    );
    await cloud.waitForStep(operation.id, 'DeleteDisk');

    await cloud.kill();
    const ended = await restartAndEnd(operation.id, 'delete-slice/DeleteDisk');

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_ABORTED' } });
    await sliceSettled(cloud, slice.id, 'off');
    sameDisk(cloud.diskPath(slice.id), before);
  });

  it('leaves a snapshot deletion killed in DeleteImage unbilled; deleting again finishes it', async () => {
    const store = cloud.freeze('s3rver');
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'DELETE',
      `/v1/snapshots/${snapshotId}?purge=true`,
    );
    await cloud.waitForStep(operation.id, 'DeleteImage');

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(operation.id, 'delete-snapshot/DeleteImage');
    if (ended.status === 'failed') {
      const again = await cloud.ok<{ operation: OperationView }>(
        'DELETE',
        `/v1/snapshots/${snapshotId}?purge=true`,
      );
      await until(
        'the deletion again',
        () => cloud.operation(again.operation.id),
        (o) => o.status !== 'running',
      );
      expect((await cloud.operation(again.operation.id)).status).toBe('succeeded');
    }

    // The snapshot is a tombstone, out of every list and still read by billing.
    expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshotId}`)).toMatchObject({
      status: 'deleted',
    });
    const { stored, manifests } = await cloud.storedChunks();
    expect({ stored, manifests }).toEqual({ stored: [], manifests: [] });
    await noOrphanChunk(cloud);
    // Billed until the deletion was asked for, never after.
    await billingAgrees(cloud, [snapshotId]);
  });
});
