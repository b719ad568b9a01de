import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  IllegalSnapshotTransitionError,
  SnapshotProtectedError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { completeSnapshotDeletion } from '../../../../core/use-cases/complete-snapshot-deletion.ts';
import { deleteSnapshotImage } from '../../../../core/use-cases/delete-snapshot-image.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import { aFailedSnapshot, anActiveSlice, anAvailableSnapshot } from './support/use-case-steps.ts';

const BEFORE = '2025-02-28T10:00:00.000Z';

const CHUNK = 4 * 1024 * 1024;
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
      ports.images.in('fra1').putChunks(ACCOUNT, ['old-orphan']);
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

  it('removes the manifest and leaves every chunk to the chunk collection', async () => {
    const { ports, first, second } = given;
    const input = await deleting(first);

    const deletion = await deleteSnapshotImage(ports, input);

    expect(deletion).toEqual({ deleted: true });
    expect(ports.images.in('fra1').keys()).toEqual([
      chunk('old-orphan'),
      chunk('only-1'),
      chunk('only-2'),
      chunk('shared-1'),
      chunk('shared-2'),
      chunk('shared-3'),
      manifest(second.id),
    ]);
  });

  it('removes the manifest whatever the other manifests of the account hold', async () => {
    const { ports, first } = given;
    const input = await deleting(first);
    ports.images.in('fra1').putImage(ACCOUNT, 'snp_01JNZ5Y1Q0000000000000000B', 'corrupt');

    const deletion = await deleteSnapshotImage(ports, input);

    expect(deletion).toEqual({ deleted: true });
    expect(ports.images.in('fra1').keys()).not.toContain(manifest(first.id));
    expect(ports.images.in('fra1').keys()).toContain(manifest('snp_01JNZ5Y1Q0000000000000000B'));
  });

  it("removes a failed snapshot's manifest, if it has one, and leaves the chunks it wrote", async () => {
    const { ports, slice } = given;
    const failed = await aFailedSnapshot(ports, slice, ['shared-1', 'new-1', 'new-2']);
    // A manifest PUT that timed out landed after the snapshot had failed.
    const chunkHashes = ['shared-1', 'new-1', 'new-2'];
    ports.images.in('fra1').putImage(ACCOUNT, failed.id, {
      diskBytes: 3 * CHUNK,
      usedBytes: 3 * CHUNK,
      chunkHashes,
    });
    const input = await deleting(failed);

    const deletion = await deleteSnapshotImage(ports, input);

    expect(deletion).toEqual({ deleted: true });
    expect(ports.images.in('fra1').keys()).not.toContain(manifest(failed.id));
    expect(ports.images.in('fra1').keys()).toEqual(
      expect.arrayContaining([chunk('new-1'), chunk('new-2'), chunk('shared-1')]),
    );
  });

  it('refuses a snapshot that is not being deleted, deleting nothing', async () => {
    const { ports, first } = given;
    const before = ports.images.in('fra1').keys();

    const attempt = deleteSnapshotImage(ports, { accountId: ACCOUNT, snapshotId: first.id });

    await expect(attempt).rejects.toThrow(IllegalSnapshotTransitionError);
    expect(ports.images.in('fra1').keys()).toEqual(before);
  });

  it('does nothing for a snapshot deleted already', async () => {
    const { ports, first } = given;
    const input = await deleting(first);
    await deleteSnapshotImage(ports, input);
    const operationId = (await ports.snapshots.get(ACCOUNT, first.id))?.deletionOperationId ?? '';
    await completeSnapshotDeletion(ports, { ...input, operationId });

    const again = await deleteSnapshotImage(ports, input);

    expect(again).toEqual({ deleted: false });
  });

  it('refuses a protected snapshot that reached the workflow, deleting nothing', async () => {
    // Only a path that skipped the request's guard gets here: the workflow started by hand.
    const { ports, first } = given;
    const input = await deleting(first);
    const stored = await ports.snapshots.get(ACCOUNT, first.id);
    if (!stored) throw new Error('the snapshot is gone');
    await ports.snapshots.update(stored, { ...stored, protected: true });
    const before = ports.images.in('fra1').keys();

    const attempt = deleteSnapshotImage(ports, input);

    await expect(attempt).rejects.toThrow(SnapshotProtectedError);
    expect(ports.images.in('fra1').keys()).toEqual(before);
  });
});
