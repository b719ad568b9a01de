import { beforeAll, describe, expect, it } from 'vitest';
import { FaultCloud, type SliceView, until } from './support/fault-cloud.ts';
import { imagesAndBillingAgree, operationEnds, sliceIntact } from './support/invariants.ts';

/**
 * One emulator of a running local cloud killed (SIGKILL) and started again on its port and data, as
 * a service manager would, while a snapshot uploads: DynamoDB Local, then the image store.
 */
describe('an emulator killed while a snapshot uploads', () => {
  const cloud = FaultCloud.forSuite('operation ended, seconds after the kill');
  let slice: SliceView;

  beforeAll(async () => {
    slice = await cloud.activeSlice('faults-3', 32);
  });

  async function snapshotHeldAtUpload(name: string) {
    const store = cloud.freeze('s3rver');
    const accepted = await cloud.takeSnapshot(slice.id, name);
    await cloud.waitForHostStep(accepted.operation.id, 'UploadImage', slice.id, 'upload');
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
    expect((await cloud.snapshot(snapshot.id)).status).toBe('available');
    await sliceIntact(cloud, slice.id, 'on', before);
    await imagesAndBillingAgree(cloud);
  });

  it('ends a snapshot whose store was killed and restarted mid-upload, leaving no manifest of a failed snapshot behind', async () => {
    cloud.writeData(slice.id, 8, 24);
    const before = cloud.copyDisk(slice.id);
    const chunksBefore = (await cloud.storedChunks()).stored.length;
    const { snapshot, operation, store } = await snapshotHeldAtUpload('store-restarted');
    cloud.thaw(store);
    await until(
      'the first chunk stored',
      async () => (await cloud.storedChunks()).stored.length,
      (chunks) => chunks > chunksBefore,
      20_000,
    );

    const since = performance.now();
    const chunksAtKill = (await cloud.storedChunks()).stored.length - chunksBefore;
    await cloud.killAndRestartEmulator('s3rver');
    const ended = await operationEnds(cloud, operation.id, 's3rver/UploadImage', since);
    process.stdout.write(
      `store killed after ${chunksAtKill} chunks stored: the snapshot ${ended.status}\n`,
    );

    const after = await cloud.snapshot(snapshot.id);
    expect(after.status).toBe(ended.status === 'succeeded' ? 'available' : 'failed');
    await sliceIntact(cloud, slice.id, 'on', before);
    await imagesAndBillingAgree(cloud);
  });
});
