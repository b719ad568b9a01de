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
 * One emulator of a running local cloud killed (SIGKILL) and started again on its port and data, as
 * a service manager would, while a snapshot uploads: DynamoDB Local, then the image store.
 */
describe('an emulator killed while a snapshot uploads', () => {
  let cloud: FaultCloud;
  let slice: SliceView;

  beforeAll(async () => {
    cloud = await FaultCloud.start();
    slice = await cloud.activeSlice('faults-3', 32);
  });

  afterAll(async () => {
    process.stdout.write(
      `operation ended, seconds after the kill: ${JSON.stringify(cloud?.figures)}\n`,
    );
    await cloud?.stop();
  });

  async function snapshotHeldAtUpload(name: string) {
    const store = cloud.freeze('s3rver');
    const accepted = await cloud.ok<{ snapshot: SnapshotView; operation: OperationView }>(
      'POST',
      `/v1/slices/${slice.id}/snapshots`,
      { name },
    );
    await cloud.waitForStep(accepted.operation.id, 'UploadImage');
    await cloud.waitForAgentCommand(slice.id, 'upload');
    return { ...accepted, store };
  }

  it('finishes a snapshot whose DynamoDB Local was killed and restarted mid-upload', async () => {
    const before = cloud.copyDisk(slice.id);
    const { snapshot, operation, store } = await snapshotHeldAtUpload('dynamodb-restarted');

    const since = performance.now();
    await cloud.killAndRestartEmulator('DynamoDBLocal');
    cloud.thaw(store);
    const ended = await operationEnds(cloud, operation.id, 'DynamoDB Local/UploadImage', since);

    expect(ended.status).toBe('succeeded');
    expect(await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshot.id}`)).toMatchObject({
      status: 'available',
    });
    await sliceSettled(cloud, slice.id, 'on');
    sameDisk(cloud.diskPath(slice.id), before);
    await imagesConsistent(cloud);
    await billingAgrees(cloud);
  });

  it('ends a snapshot whose store was killed and restarted mid-upload, leaving no manifest of a failed snapshot behind', async () => {
    cloud.writeData(slice.id, 8, 24);
    const before = cloud.copyDisk(slice.id);
    const { snapshot, operation, store } = await snapshotHeldAtUpload('store-restarted');
    const keysBefore = cloud.uploadKeysBegun();
    cloud.thaw(store);
    await until(
      'the first chunk PUT',
      async () => cloud.uploadKeysBegun(),
      (keys) => keys > keysBefore,
      20_000,
    );

    const since = performance.now();
    const keysAtKill = cloud.uploadKeysBegun() - keysBefore;
    await cloud.killAndRestartEmulator('s3rver');
    const ended = await operationEnds(cloud, operation.id, 's3rver/UploadImage', since);
    process.stdout.write(
      `store killed after ${keysAtKill} chunk PUTs begun: the snapshot ${ended.status}\n`,
    );

    const after = await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshot.id}`);
    expect(after.status).toBe(ended.status === 'succeeded' ? 'available' : 'failed');
    await sliceSettled(cloud, slice.id, 'on');
    sameDisk(cloud.diskPath(slice.id), before);
    await imagesConsistent(cloud);
    await billingAgrees(cloud);
  });
});
