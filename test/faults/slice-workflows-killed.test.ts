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
  imagesConsistent,
  operationEnds,
  sameDisk,
  sliceSettled,
} from './support/invariants.ts';

/**
 * Kills the whole local cloud mid-step and runs `npm start` again, for the workflows around a
 * slice: a slice made from a snapshot, power, the slice's deletion and the snapshot's deletion.
 * Each execution goes on from the step it was in, and its operation ends as it would have.
 */
describe('slice and deletion workflows killed mid-step', () => {
  let cloud: FaultCloud;
  /** The snapshot's source; powered off and on by the power test. */
  let slice: SliceView;
  /** Deleted while it powers off, then while its disk is deleted. */
  let doomed: SliceView;
  let doomedToo: SliceView;
  let snapshotId: string;
  /** The source's disk as the snapshot has it. */
  let image: string;

  beforeAll(async () => {
    cloud = await FaultCloud.start();
    [slice, doomed, doomedToo] = await Promise.all([
      cloud.activeSlice('faults-2', 8),
      cloud.activeSlice('faults-2-doomed', 2),
      cloud.activeSlice('faults-2-doomed-too', 2),
    ]);
    image = cloud.copyDisk(slice.id);
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

  it('finishes a slice from a snapshot killed in WriteImage: its disk is the image', async () => {
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

    expect(ended.status).toBe('succeeded');
    expect((await cloud.slice(created.slice.id)).status).toBe('active');
    await sliceSettled(cloud, created.slice.id, 'on');
    sameDisk(cloud.diskPath(created.slice.id), image);
    await imagesConsistent(cloud);
    await billingAgrees(cloud);
  });

  it('finishes a power-off killed in PowerOffSlice: the slice is off', async () => {
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

    expect(ended.status).toBe('succeeded');
    await sliceSettled(cloud, slice.id, 'off');
    sameDisk(cloud.diskPath(slice.id), before);
  });

  it('finishes a slice deletion killed in PowerOffSlice: slice and disk gone', async () => {
    cloud.hangGuest(doomed.id, true);
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'DELETE',
      `/v1/slices/${doomed.id}`,
    );
    await cloud.waitForStep(operation.id, 'PowerOffSlice');
    await cloud.waitForAgentCommand(doomed.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(doomed.id, false);
    const ended = await restartAndEnd(operation.id, 'delete-slice/PowerOffSlice');

    expect(ended.status).toBe('succeeded');
    expect((await cloud.slice(doomed.id)).status).toBe('deleted');
    expect(existsSync(cloud.diskPath(doomed.id))).toBe(false);
  });

  it('finishes a slice deletion killed in DeleteDisk before the agent ran it: disk gone', async () => {
    const off = await cloud.ok<{ operation: OperationView }>(
      'POST',
      `/v1/slices/${doomedToo.id}/power`,
      { state: 'off' },
    );
    await until(
      'the power-off',
      () => cloud.operation(off.operation.id),
      (o) => o.status === 'succeeded',
    );
    // The agent is frozen, so the step holds while its command waits for an answer.
    cloud.freeze('agent');
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'DELETE',
      `/v1/slices/${doomedToo.id}`,
    );
    await cloud.waitForStep(operation.id, 'DeleteDisk');

    await cloud.kill();
    const ended = await restartAndEnd(operation.id, 'delete-slice/DeleteDisk');

    expect(ended.status).toBe('succeeded');
    expect((await cloud.slice(doomedToo.id)).status).toBe('deleted');
    expect(existsSync(cloud.diskPath(doomedToo.id))).toBe(false);
  });

  it('finishes a snapshot deletion killed in DeleteImage, billed until it was asked for', async () => {
    const store = cloud.freeze('s3rver');
    const { operation } = await cloud.ok<{ operation: OperationView }>(
      'DELETE',
      `/v1/snapshots/${snapshotId}?purge=true`,
    );
    await cloud.waitForStep(operation.id, 'DeleteImage');

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(operation.id, 'delete-snapshot/DeleteImage');

    expect(ended.status).toBe('succeeded');
    // The snapshot is a tombstone, out of every list and still read by billing.
    expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshotId}`)).toMatchObject({
      status: 'deleted',
    });
    // Its manifest is gone; its chunks stay until the chunk collection reclaims them.
    const { stored, manifests } = await cloud.storedChunks();
    expect(manifests).toEqual([]);
    expect(stored).not.toEqual([]);
    await imagesConsistent(cloud);
    // Billed until the deletion was asked for, never after.
    await billingAgrees(cloud, [snapshotId]);
  });
});
