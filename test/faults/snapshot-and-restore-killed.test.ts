import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaultCloud, type OperationView, type SliceView } from './support/fault-cloud.ts';
import { imagesAndBillingAgree, restartAndEnd, sliceIntact } from './support/invariants.ts';

/**
 * The whole local cloud killed (SIGKILL to `npm start`'s process group and every process of its data
 * directory) while a snapshot or a restore is held at a step where data moves or power changes,
 * then `npm start` again: the execution goes on from the step it was in (the agent's command, cut
 * by the kill, is run again), so the operation succeeds as it would have; the slice is free in its
 * power state, its disk byte for byte what it should be, every chunk a manifest names is stored
 * and only live snapshots keep a manifest, billing agrees.
 */
describe('snapshots and restores killed mid-step', () => {
  const cloud = FaultCloud.forSuite();
  let slice: SliceView;

  beforeAll(async () => {
    slice = await cloud.activeSlice('faults-1', 8);
  });

  /** The snapshot succeeded and is available; the slice runs with the disk it had before. */
  async function expectSnapshotTaken(ended: OperationView, snapshotId: string, before: string) {
    expect(ended.status).toBe('succeeded');
    expect((await cloud.snapshot(snapshotId)).status).toBe('available');
    await sliceIntact(cloud, slice.id, 'on', before);
  }

  function captures(): string[] {
    return readdirSync(join(cloud.agentDir(), 'slices', slice.id, 'captures'));
  }

  it('finishes a snapshot killed in PowerOffSlice; the slice runs, its disk untouched', async () => {
    const before = cloud.copyDisk(slice.id);
    cloud.hangGuest(slice.id, true);
    const { snapshot, operation } = await cloud.takeSnapshot(slice.id, 'held-at-power-off');
    await cloud.waitForHostStep(operation.id, 'PowerOffSlice', slice.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(slice.id, false);
    const ended = await restartAndEnd(cloud, operation.id, 'create-snapshot/PowerOffSlice');

    await expectSnapshotTaken(ended, snapshot.id, before);
    await imagesAndBillingAgree(cloud);
  });

  it('finishes a snapshot killed in UploadImage; its capture is gone once uploaded', async () => {
    const before = cloud.copyDisk(slice.id);
    const store = cloud.freeze('s3rver');
    const { snapshot, operation } = await cloud.takeSnapshot(slice.id, 'held-at-upload');
    await cloud.waitForHostStep(operation.id, 'UploadImage', slice.id, 'upload');

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(cloud, operation.id, 'create-snapshot/UploadImage');

    await expectSnapshotTaken(ended, snapshot.id, before);
    expect(captures()).toEqual([]);
    await imagesAndBillingAgree(cloud);
  });

  it('finishes a snapshot killed in CaptureDisk; the slice powered on again, no capture kept', async () => {
    const before = cloud.copyDisk(slice.id);
    const { snapshot, operation } = await cloud.takeSnapshot(slice.id, 'held-at-capture');
    // The agent is frozen once the slice is off, so the capture's command waits.
    await cloud.freezeAgentBefore(operation.id, slice.id, 'power-off', 'CaptureDisk');

    await cloud.kill();
    const ended = await restartAndEnd(cloud, operation.id, 'create-snapshot/CaptureDisk');

    await expectSnapshotTaken(ended, snapshot.id, before);
    expect(captures()).toEqual([]);
    await imagesAndBillingAgree(cloud);
  });

  describe('a restore', () => {
    let snapshotId: string;
    /** The disk as the snapshot has it. */
    let image: string;

    beforeAll(async () => {
      image = cloud.copyDisk(slice.id);
      snapshotId = await cloud.snapshotTaken(slice.id, 'restorable');
      // What the restore would overwrite: the disk as it is after the snapshot.
      cloud.writeData(slice.id, 2, 4);
    });

    /** The restore succeeded: the slice runs again, its disk the snapshot's image. */
    async function expectRestored(ended: OperationView) {
      expect(ended.status).toBe('succeeded');
      await sliceIntact(cloud, slice.id, 'on', image);
    }

    it('is taken after the killed ones, and billed with them', async () => {
      expect((await cloud.snapshot(snapshotId)).status).toBe('available');
      await imagesAndBillingAgree(cloud);
    });

    it('killed in WriteImage finishes: the disk is the image', async () => {
      const store = cloud.freeze('s3rver');
      const { operation } = await cloud.restore(snapshotId);
      await cloud.waitForHostStep(operation.id, 'WriteImage', slice.id, 'write-image');

      await cloud.kill();
      cloud.thaw(store);
      const ended = await restartAndEnd(cloud, operation.id, 'restore/WriteImage');

      await expectRestored(ended);
      await imagesAndBillingAgree(cloud);
    });

    it('killed after the swap, in RestorePowerState, finishes: the disk is the image, running', async () => {
      cloud.writeData(slice.id, 2, 4);
      const { operation } = await cloud.restore(snapshotId);
      // The agent is frozen as soon as the image is swapped in, so the power-on that follows waits.
      await cloud.freezeAgentBefore(operation.id, slice.id, 'write-image', 'RestorePowerState');

      await cloud.kill();
      const ended = await restartAndEnd(cloud, operation.id, 'restore/RestorePowerState');

      await expectRestored(ended);
      await imagesAndBillingAgree(cloud);
    });

    it('killed in PowerOffSlice finishes once the slice is off: the disk is the image', async () => {
      cloud.writeData(slice.id, 2, 4);
      cloud.hangGuest(slice.id, true);
      const { operation } = await cloud.restore(snapshotId);
      await cloud.waitForHostStep(operation.id, 'PowerOffSlice', slice.id, 'power-off');

      await cloud.kill();
      cloud.hangGuest(slice.id, false);
      const ended = await restartAndEnd(cloud, operation.id, 'restore/PowerOffSlice');

      await expectRestored(ended);
      // The snapshot is no longer read: it can be deleted.
      expect((await cloud.call('DELETE', `/v1/snapshots/${snapshotId}?purge=true`)).status).toBe(
        202,
      );
    });
  });
});
