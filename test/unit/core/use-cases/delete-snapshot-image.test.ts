import { describe, expect, it } from 'vitest';
import {
  ImageManifestCorruptError,
  UploadsInFlightError,
} from '../../../../core/snapshots/image-errors.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  IllegalSnapshotTransitionError,
  SnapshotProtectedError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { completeSnapshotDeletion } from '../../../../core/use-cases/complete-snapshot-deletion.ts';
import { deleteSnapshotImage } from '../../../../core/use-cases/delete-snapshot-image.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { aFailedSnapshot, anActiveSlice, anAvailableSnapshot } from './support/use-case-steps.ts';

const BEFORE = '2025-02-28T10:00:00.000Z';
const NOW = '2025-03-01T10:00:00.000Z';
const IN_A_MINUTE = new Date(Date.parse(NOW) + 60_000);

const chunk = (hash: string) => `${ACCOUNT}/chunks/${hash}`;
const manifest = (snapshotId: string) => `${ACCOUNT}/snapshots/${snapshotId}/manifest.json`;

describe('deleteSnapshotImage', () => {
  const given = givenPorts(
    async (ports) => {
      const slice = await anActiveSlice(ports);
      // Two snapshots of the same disk a day old, sharing most chunks, and an orphan as old.
      const first = await anAvailableSnapshot(ports, slice, [
        'shared-1',
        'shared-2',
        'shared-3',
        'only-1',
      ]);
      const second = await anAvailableSnapshot(ports, slice, [
        'shared-1',
        'shared-2',
        'shared-3',
        'only-2',
      ]);
      ports.images.putChunks(ACCOUNT, ['old-orphan']);
      ports.clock.set(NOW);
      return { slice, first, second };
    },
    { now: BEFORE },
  );

  const deleting = async (snapshot: Snapshot) => {
    await requestSnapshotDeletion(given.ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      purge: true,
    });
    return { accountId: ACCOUNT, snapshotId: snapshot.id };
  };

  it('removes the chunks no other snapshot names, then the manifest', async () => {
    const { ports, first, second } = given;
    const input = await deleting(first);

    const deletion = await deleteSnapshotImage(ports, input);

    expect(deletion).toEqual({ deletedChunks: 1, keptChunks: 3 });
    expect(ports.images.keys()).toEqual([
      chunk('old-orphan'),
      chunk('only-2'),
      chunk('shared-1'),
      chunk('shared-2'),
      chunk('shared-3'),
      manifest(second.id),
    ]);
  });

  it('waits while an upload of the account is in flight, deleting nothing', async () => {
    const { ports, first } = given;
    const input = await deleting(first);
    await ports.uploads.beginUpload(ACCOUNT, 'snp_01JNZ5Y1Q0000000000000000A', IN_A_MINUTE);
    const before = ports.images.keys();

    const attempt = deleteSnapshotImage(ports, input);

    await expect(attempt).rejects.toThrow(UploadsInFlightError);
    expect(ports.images.keys()).toEqual(before);
  });

  it('lets uploads begin again once it is done', async () => {
    const { ports, first } = given;
    const input = await deleting(first);
    await deleteSnapshotImage(ports, input);

    const upload = ports.uploads.beginUpload(
      ACCOUNT,
      'snp_01JNZ5Y1Q0000000000000000A',
      IN_A_MINUTE,
    );

    await expect(upload).resolves.toBeUndefined();
  });

  it('deletes nothing while another manifest does not verify, and lets uploads begin again', async () => {
    const { ports, first } = given;
    const input = await deleting(first);
    ports.images.putImage(ACCOUNT, 'snp_01JNZ5Y1Q0000000000000000B', 'corrupt');
    const before = ports.images.keys();

    const attempt = deleteSnapshotImage(ports, input);

    await expect(attempt).rejects.toThrow(ImageManifestCorruptError);
    expect(ports.images.keys()).toEqual(before);
    await expect(
      ports.uploads.beginUpload(ACCOUNT, 'snp_01JNZ5Y1Q0000000000000000A', IN_A_MINUTE),
    ).resolves.toBeUndefined();
  });

  it('removes the chunks a failed snapshot wrote since it was requested that no manifest names', async () => {
    const { ports, slice } = given;
    const failed = await aFailedSnapshot(ports, slice, ['shared-1', 'new-1', 'new-2']);
    const input = await deleting(failed);

    const deletion = await deleteSnapshotImage(ports, input);

    expect(deletion).toEqual({ deletedChunks: 2, keptChunks: 1 });
    const chunks = ports.images.keys().filter((key) => key.includes('/chunks/'));
    expect(chunks).toEqual([
      chunk('old-orphan'),
      chunk('only-1'),
      chunk('only-2'),
      chunk('shared-1'),
      chunk('shared-2'),
      chunk('shared-3'),
    ]);
  });

  it('refuses a snapshot that is not being deleted, deleting nothing', async () => {
    const { ports, first } = given;
    const before = ports.images.keys();

    const attempt = deleteSnapshotImage(ports, { accountId: ACCOUNT, snapshotId: first.id });

    await expect(attempt).rejects.toThrow(IllegalSnapshotTransitionError);
    expect(ports.images.keys()).toEqual(before);
  });

  it('does nothing for a snapshot deleted already', async () => {
    const { ports, first } = given;
    const input = await deleting(first);
    const { deletedChunks } = await deleteSnapshotImage(ports, input);
    const operationId = (await ports.snapshots.get(ACCOUNT, first.id))?.deletionOperationId ?? '';
    await completeSnapshotDeletion(ports, { ...input, operationId, deletedChunks });

    const again = await deleteSnapshotImage(ports, input);

    expect(again).toEqual({ deletedChunks: 0, keptChunks: 0 });
  });

  it('refuses a protected snapshot that reached the workflow, deleting nothing', async () => {
    // Only a path that skipped the request's guard gets here: the workflow started by hand.
    const { ports, first } = given;
    const input = await deleting(first);
    const stored = await ports.snapshots.get(ACCOUNT, first.id);
    if (!stored) throw new Error('the snapshot is gone');
    await ports.snapshots.update(stored, { ...stored, protected: true });
    const before = ports.images.keys();

    const attempt = deleteSnapshotImage(ports, input);

    await expect(attempt).rejects.toThrow(SnapshotProtectedError);
    expect(ports.images.keys()).toEqual(before);
  });
});
