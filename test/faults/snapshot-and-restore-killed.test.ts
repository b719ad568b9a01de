import { readdirSync } from 'node:fs';
import { join } from 'node:path';
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
 * The whole local cloud killed (SIGKILL to `npm start`'s process group and every process of its data
 * directory) while a snapshot or a restore is held at a step where data moves or power changes,
 * then `npm start` again: the execution goes on from the step it was in (the agent's command, cut
 * by the kill, is run again), so the operation succeeds as it would have; the slice is free in its
 * power state, its disk byte for byte what it should be, every chunk a manifest names is stored
 * and only live snapshots keep a manifest, billing agrees.
 */
describe('snapshots and restores killed mid-step', () => {
  let cloud: FaultCloud;
  let slice: SliceView;

  beforeAll(async () => {
    cloud = await FaultCloud.start();
    slice = await cloud.activeSlice('faults-1', 8);
  });

  afterAll(async () => {
    process.stdout.write(
      `operation ended, seconds after npm start: ${JSON.stringify(cloud?.figures)}\n`,
    );
    await cloud?.stop();
  });

  function takeSnapshot(name: string) {
    return cloud.ok<{ snapshot: SnapshotView; operation: OperationView }>(
      'POST',
      `/v1/slices/${slice.id}/snapshots`,
      { name },
    );
  }

  async function restartAndEnd(operationId: string, label: string): Promise<OperationView> {
    const since = performance.now();
    await cloud.restart();
    return operationEnds(cloud, operationId, label, since);
  }

  it('finishes a snapshot killed in PowerOffSlice; the slice runs, its disk untouched', async () => {
    const before = cloud.copyDisk(slice.id);
    cloud.hangGuest(slice.id, true);
    const { snapshot, operation } = await takeSnapshot('held-at-power-off');
    await cloud.waitForStep(operation.id, 'PowerOffSlice');
    await cloud.waitForAgentCommand(slice.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(slice.id, false);
    const ended = await restartAndEnd(operation.id, 'create-snapshot/PowerOffSlice');

    expect(ended.status).toBe('succeeded');
    expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshot.id}`)).toMatchObject({
      status: 'available',
    });
    await sliceSettled(cloud, slice.id, 'on');
    sameDisk(cloud.diskPath(slice.id), before);
    await imagesConsistent(cloud);
    await billingAgrees(cloud);
  });

  it('finishes a snapshot killed in UploadImage; its capture is gone once uploaded', async () => {
    const before = cloud.copyDisk(slice.id);
    const store = cloud.freeze('s3rver');
    const { snapshot, operation } = await takeSnapshot('held-at-upload');
    await cloud.waitForStep(operation.id, 'UploadImage');
    await cloud.waitForAgentCommand(slice.id, 'upload');

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(operation.id, 'create-snapshot/UploadImage');

    expect(ended.status).toBe('succeeded');
    expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshot.id}`)).toMatchObject({
      status: 'available',
    });
    await sliceSettled(cloud, slice.id, 'on');
    sameDisk(cloud.diskPath(slice.id), before);
    expect(readdirSync(join(cloud.agentDir(), 'slices', slice.id, 'captures'))).toEqual([]);
    await imagesConsistent(cloud);
    await billingAgrees(cloud);
  });

  it('finishes a snapshot killed in CaptureDisk; the slice powered on again, no capture kept', async () => {
    const before = cloud.copyDisk(slice.id);
    const { snapshot, operation } = await takeSnapshot('held-at-capture');
    // The agent is frozen once the slice is off, so the capture's command waits.
    await cloud.freezeAgentBefore(operation.id, slice.id, 'power-off', 'CaptureDisk');

    await cloud.kill();
    const ended = await restartAndEnd(operation.id, 'create-snapshot/CaptureDisk');

    expect(ended.status).toBe('succeeded');
    expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshot.id}`)).toMatchObject({
      status: 'available',
    });
    await sliceSettled(cloud, slice.id, 'on');
    sameDisk(cloud.diskPath(slice.id), before);
    expect(readdirSync(join(cloud.agentDir(), 'slices', slice.id, 'captures'))).toEqual([]);
    await imagesConsistent(cloud);
    await billingAgrees(cloud);
  });

  describe('a restore', () => {
    let snapshotId: string;
    /** The disk as the snapshot has it. */
    let image: string;

    beforeAll(async () => {
      image = cloud.copyDisk(slice.id);
      const { snapshot, operation } = await takeSnapshot('restorable');
      await until(
        'the snapshot',
        () => cloud.operation(operation.id),
        (o) => o.status !== 'running',
      );
      snapshotId = snapshot.id;
      // What the restore would overwrite: the disk as it is after the snapshot.
      cloud.writeData(slice.id, 2, 4);
    });

    it('is taken after the killed ones, and billed with them', async () => {
      expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshotId}`)).toMatchObject({
        status: 'available',
      });
      await imagesConsistent(cloud);
      await billingAgrees(cloud);
    });

    it('killed in WriteImage finishes: the disk is the image', async () => {
      const store = cloud.freeze('s3rver');
      const { operation } = await cloud.ok<{ operation: OperationView }>(
        'POST',
        `/v1/snapshots/${snapshotId}/restore`,
        { confirm: true },
      );
      await cloud.waitForStep(operation.id, 'WriteImage');
      await cloud.waitForAgentCommand(slice.id, 'write-image');

      await cloud.kill();
      cloud.thaw(store);
      const ended = await restartAndEnd(operation.id, 'restore/WriteImage');

      expect(ended.status).toBe('succeeded');
      await sliceSettled(cloud, slice.id, 'on');
      sameDisk(cloud.diskPath(slice.id), image);
      await imagesConsistent(cloud);
      await billingAgrees(cloud);
    });

    it('killed after the swap, in RestorePowerState, finishes: the disk is the image, running', async () => {
      cloud.writeData(slice.id, 2, 4);
      const { operation } = await cloud.ok<{ operation: OperationView }>(
        'POST',
        `/v1/snapshots/${snapshotId}/restore`,
        { confirm: true },
      );
      // The agent is frozen as soon as the image is swapped in, so the power-on that follows waits.
      await cloud.freezeAgentBefore(operation.id, slice.id, 'write-image', 'RestorePowerState');

      await cloud.kill();
      const ended = await restartAndEnd(operation.id, 'restore/RestorePowerState');

      expect(ended.status).toBe('succeeded');
      await sliceSettled(cloud, slice.id, 'on');
      sameDisk(cloud.diskPath(slice.id), image);
      await imagesConsistent(cloud);
      await billingAgrees(cloud);
    });

    it('killed in PowerOffSlice finishes once the slice is off: the disk is the image', async () => {
      cloud.writeData(slice.id, 2, 4);
      cloud.hangGuest(slice.id, true);
      const { operation } = await cloud.ok<{ operation: OperationView }>(
        'POST',
        `/v1/snapshots/${snapshotId}/restore`,
        { confirm: true },
      );
      await cloud.waitForStep(operation.id, 'PowerOffSlice');
      await cloud.waitForAgentCommand(slice.id, 'power-off');

      await cloud.kill();
      cloud.hangGuest(slice.id, false);
      const ended = await restartAndEnd(operation.id, 'restore/PowerOffSlice');

      expect(ended.status).toBe('succeeded');
      await sliceSettled(cloud, slice.id, 'on');
      sameDisk(cloud.diskPath(slice.id), image);
      // The snapshot is no longer read: it can be deleted.
      expect((await cloud.call('DELETE', `/v1/snapshots/${snapshotId}?purge=true`)).status).toBe(
        202,
      );
    });
  });
});
