import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import {
  ImageIncompleteError,
  ImageManifestCorruptError,
} from '../../../../core/snapshots/image-errors.ts';
import { registerSnapshot } from '../../../../core/use-cases/register-snapshot.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { expectOperationSucceeded } from './support/outcomes.ts';
import { withARunningSlice } from './support/set-ups.ts';
import { anUploadingSnapshot } from './support/use-case-steps.ts';

const DONE = '2025-03-01T10:03:20.000Z';
const CHUNK = 4 * 1024 * 1024;

describe('registerSnapshot', () => {
  const given = givenPorts(withARunningSlice);

  async function uploaded() {
    const { step } = await anUploadingSnapshot(given.ports, given.slice);
    given.ports.images.in('fra1').putChunks(ACCOUNT, ['a', 'b']);
    given.ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, {
      diskBytes: given.slice.diskBytes,
      usedBytes: 3 * CHUNK,
      chunkHashes: ['a', 'b', 'a'],
    });
    given.ports.clock.set(DONE);
    return step;
  }

  it('makes the snapshot available with the sizes of its manifest, billed from now', async () => {
    const { ports, slice } = given;
    const step = await uploaded();

    const snapshot = await registerSnapshot(ports, step);

    expect(snapshot).toMatchObject({
      status: 'available',
      sizeBytes: 3 * CHUNK,
      diskBytes: slice.diskBytes,
      completedAt: DONE,
      manifestKey: `${ACCOUNT}/snapshots/${step.snapshotId}/manifest.json`,
      progress: { bytesDone: 3 * CHUNK, bytesTotal: 3 * CHUNK },
    });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toEqual(snapshot);
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: step.snapshotId, sizeBytes: 3 * CHUNK, from: DONE }),
    ]);
  });

  it('records what the upload read on the capture info', async () => {
    const { ports } = given;
    const step = await uploaded();
    const before = await ports.snapshots.get(ACCOUNT, step.snapshotId);

    const snapshot = await registerSnapshot(ports, {
      ...step,
      upload: { changedBlockTracking: true, chunksRead: 2 },
    });

    expect(before?.captureInfo).toMatchObject({ chunksRead: null });
    expect(snapshot.captureInfo).toEqual({
      ...before?.captureInfo,
      changedBlockTracking: true,
      chunksRead: 2,
    });
  });

  it('unlocks the slice with its used bytes and succeeds the operation once', async () => {
    const { ports, slice } = given;
    const step = await uploaded();

    await registerSnapshot(ports, step);
    await registerSnapshot(ports, step);

    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'active',
      lock: null,
      usedBytes: 3 * CHUNK,
    });
    await expectOperationSucceeded(ports, step.operationId, DONE);
    expect(
      ports.events.published.filter((event) => event.detailType === EVENT.snapshotAvailable),
    ).toEqual([
      {
        detailType: EVENT.snapshotAvailable,
        detail: expect.objectContaining({
          snapshotId: step.snapshotId,
          sliceId: slice.id,
          operationId: step.operationId,
          sizeBytes: 3 * CHUNK,
        }),
      },
    ]);
  });

  it('refuses an image without a manifest', async () => {
    const { ports, slice } = given;
    const { step } = await anUploadingSnapshot(ports, slice);

    await expect(registerSnapshot(ports, step)).rejects.toBeInstanceOf(ImageIncompleteError);
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'uploading',
    });
  });

  it('refuses an image whose manifest names a chunk that is not stored', async () => {
    const { ports } = given;
    const step = await uploaded();
    await ports.images.in('fra1').deleteObjects([`${ACCOUNT}/chunks/b`]);

    const registered = registerSnapshot(ports, step);

    await expect(registered).rejects.toBeInstanceOf(ImageIncompleteError);
    await expect(registered).rejects.toMatchObject({ missingKeys: [`${ACCOUNT}/chunks/b`] });
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([]);
  });

  it('refuses a manifest that fails its checksum', async () => {
    const { ports, slice } = given;
    const { step } = await anUploadingSnapshot(ports, slice);
    ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, 'corrupt');

    await expect(registerSnapshot(ports, step)).rejects.toBeInstanceOf(ImageManifestCorruptError);
  });
});
