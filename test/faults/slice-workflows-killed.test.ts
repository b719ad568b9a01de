import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FaultCloud,
  type OperationView,
  type SliceAccepted,
  type SliceView,
  type SnapshotAccepted,
  until,
} from './support/fault-cloud.ts';
import {
  imagesAndBillingAgree,
  restartAndEnd,
  sameDisk,
  sliceIntact,
} from './support/invariants.ts';

/**
 * Kills the whole local cloud mid-step and runs `npm start` again, for the workflows around a
 * slice: a slice made from a snapshot, power, the slice's deletion and the snapshot's deletion.
 * Each execution goes on from the step it was in, and its operation ends as it would have.
 */
describe('slice and deletion workflows killed mid-step', () => {
  const cloud = FaultCloud.forSuite();
  /** The snapshot's source; powered off and on by the power test. */
  let slice: SliceView;
  /** Deleted while it powers off, then while its disk is deleted. */
  let doomed: SliceView;
  let doomedToo: SliceView;
  let snapshotId: string;
  /** The source's disk as the snapshot has it. */
  let image: string;

  beforeAll(async () => {
    [slice, doomed, doomedToo] = await Promise.all([
      cloud.activeSlice('faults-2', 8),
      cloud.activeSlice('faults-2-doomed', 2),
      cloud.activeSlice('faults-2-doomed-too', 2),
    ]);
    image = cloud.copyDisk(slice.id);
    snapshotId = await cloud.snapshotTaken(slice.id, 'source', { powerOff: false });
  });

  /** The slice deletion succeeded: the slice is deleted and its disk gone. */
  async function expectSliceGone(ended: OperationView, sliceId: string) {
    expect(ended.status).toBe('succeeded');
    expect((await cloud.slice(sliceId)).status).toBe('deleted');
    expect(existsSync(cloud.diskPath(sliceId))).toBe(false);
  }

  it('finishes a slice from a snapshot killed in WriteImage: its disk is the image', async () => {
    const store = cloud.freeze('s3rver');
    const created = await cloud.createSlice('from-snapshot', snapshotId);
    await cloud.waitForHostStep(
      created.operation.id,
      'WriteImage',
      created.slice.id,
      'write-image',
    );

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(
      cloud,
      created.operation.id,
      'create-from-snapshot/WriteImage',
    );

    expect(ended.status).toBe('succeeded');
    expect((await cloud.slice(created.slice.id)).status).toBe('active');
    await sliceIntact(cloud, created.slice.id, 'on', image);
    await imagesAndBillingAgree(cloud);
  });

  it('finishes a power-off killed in PowerOffSlice: the slice is off', async () => {
    const before = cloud.copyDisk(slice.id);
    cloud.hangGuest(slice.id, true);
    const { operation } = await cloud.power(slice.id, 'off');
    await cloud.waitForHostStep(operation.id, 'PowerOffSlice', slice.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(slice.id, false);
    const ended = await restartAndEnd(cloud, operation.id, 'power/PowerOffSlice');

    expect(ended.status).toBe('succeeded');
    await sliceIntact(cloud, slice.id, 'off', before);
  });

  it('finishes a slice deletion killed in PowerOffSlice: slice and disk gone', async () => {
    cloud.hangGuest(doomed.id, true);
    const { operation } = await cloud.deleteSlice(doomed.id);
    await cloud.waitForHostStep(operation.id, 'PowerOffSlice', doomed.id, 'power-off');

    await cloud.kill();
    cloud.hangGuest(doomed.id, false);
    const ended = await restartAndEnd(cloud, operation.id, 'delete-slice/PowerOffSlice');

    await expectSliceGone(ended, doomed.id);
  });

  it('finishes a slice deletion killed in DeleteDisk before the agent ran it: disk gone', async () => {
    const off = await cloud.power(doomedToo.id, 'off');
    await until(
      'the power-off',
      () => cloud.operation(off.operation.id),
      (o) => o.status === 'succeeded',
    );
    // The agent is frozen, so the step holds while its command waits for an answer.
    cloud.freeze('agent');
    const { operation } = await cloud.deleteSlice(doomedToo.id);
    await cloud.waitForStep(operation.id, 'DeleteDisk');

    await cloud.kill();
    const ended = await restartAndEnd(cloud, operation.id, 'delete-slice/DeleteDisk');

    await expectSliceGone(ended, doomedToo.id);
  });

  it('finishes a copy to another region killed in CopyChunks, its chunks copied but unheard: a nyc1 slice from it is the image', async () => {
    cloud.gates.holdAfter({ function: 'workflow-copy-snapshot-chunks' });
    const copy = await cloud.ok<SnapshotAccepted>('POST', `/v1/snapshots/${snapshotId}/copy`, {
      region: 'nyc1',
    });
    await cloud.waitForStep(copy.operation.id, 'CopyChunks');
    // The copy's progress is recorded last in the step: past it, the chunks are in nyc1's store.
    await until(
      'the chunks copied',
      () =>
        cloud.ok<{ progress: { bytesDone: number } }>('GET', `/v1/snapshots/${copy.snapshot.id}`),
      (view) => view.progress.bytesDone > 0,
    );

    await cloud.kill();
    const ended = await restartAndEnd(cloud, copy.operation.id, 'copy-snapshot/CopyChunks');
    const made = await cloud.ok<SliceAccepted>('POST', '/v1/slices', {
      name: 'from-copy',
      region: 'nyc1',
      diskGB: 1,
      snapshotId: copy.snapshot.id,
    });
    const built = await cloud.operationEnded(made.operation.id);

    expect(ended.status).toBe('succeeded');
    expect(await cloud.snapshot(copy.snapshot.id)).toMatchObject({
      status: 'available',
      region: 'nyc1',
    });
    expect(built.status).toBe('succeeded');
    sameDisk(cloud.diskPath(made.slice.id, 'nyc1'), image);
    await imagesAndBillingAgree(cloud);
  });

  it('finishes a snapshot deletion killed in DeleteImage, billed until it was asked for', async () => {
    const store = cloud.freeze('s3rver');
    const { operation } = await cloud.purgeSnapshot(snapshotId);
    await cloud.waitForStep(operation.id, 'DeleteImage');

    await cloud.kill();
    cloud.thaw(store);
    const ended = await restartAndEnd(cloud, operation.id, 'delete-snapshot/DeleteImage');

    expect(ended.status).toBe('succeeded');
    // The snapshot is a tombstone, out of every list and still read by billing.
    expect((await cloud.snapshot(snapshotId)).status).toBe('deleted');
    // Its manifest is gone; its chunks stay until the chunk collection reclaims them.
    const { stored, manifests } = await cloud.storedChunks();
    expect(manifests).toEqual([]);
    expect(stored).not.toEqual([]);
    // Billed until the deletion was asked for, never after.
    await imagesAndBillingAgree(cloud, [snapshotId]);
  });
});
