import { describe, expect, it } from 'vitest';
import { cleanUpFailedUpload } from '../../../../core/use-cases/clean-up-failed-upload.ts';
import { failSnapshotCreation } from '../../../../core/use-cases/fail-snapshot-creation.ts';
import { registerSnapshot } from '../../../../core/use-cases/register-snapshot.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import {
  anActiveSlice,
  anUploadingSnapshot,
  storeUploadedImage,
} from './support/use-case-steps.ts';

const BEFORE = '2025-02-28T09:00:00.000Z';
const STORE_DOWN = { Error: 'StoreUnavailable' };

const chunk = (hash: string) => `${ACCOUNT}/chunks/${hash}`;

describe('cleanUpFailedUpload', () => {
  const given = givenPorts(
    async (ports) => {
      const slice = await anActiveSlice(ports);
      // An available snapshot from the day before, and an orphan chunk older than the failed upload.
      const { step } = await anUploadingSnapshot(ports, slice);
      ports.images.in('fra1').putChunks(ACCOUNT, ['kept-1', 'kept-2', 'old-orphan']);
      ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, {
        diskBytes: 1,
        usedBytes: 1,
        chunkHashes: ['kept-1', 'kept-2'],
      });
      await registerSnapshot(ports, step);
      ports.clock.set(NOW);
      return { slice };
    },
    { now: BEFORE },
  );

  /** A snapshot whose upload stored `hashes` (and maybe its manifest) and then failed. */
  async function aFailedUpload(hashes: readonly string[], withManifest = false) {
    const { step } = await anUploadingSnapshot(given.ports, given.slice);
    given.ports.images.in('fra1').putChunks(ACCOUNT, hashes);
    if (withManifest) {
      given.ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, {
        diskBytes: 1,
        usedBytes: 1,
        chunkHashes: [...hashes],
      });
    }
    await failSnapshotCreation(given.ports, { ...step, error: STORE_DOWN });
    return step;
  }

  it('deletes the manifest and leaves the chunks the failed upload wrote to the chunk collection', async () => {
    const { ports } = given;
    const step = await aFailedUpload(['kept-1', 'new-1', 'new-2'], true);

    const cleanup = await cleanUpFailedUpload(ports, step);

    expect(cleanup).toEqual({ cleaned: true });
    expect(await ports.images.in('fra1').readImage(ACCOUNT, step.snapshotId)).toBeNull();
    expect(
      ports.images
        .in('fra1')
        .keys()
        .filter((key) => key.includes('/chunks/')),
    ).toEqual([
      chunk('kept-1'),
      chunk('kept-2'),
      chunk('new-1'),
      chunk('new-2'),
      chunk('old-orphan'),
    ]);
  });

  it('cleans up while another upload of the account is in flight', async () => {
    const { ports } = given;
    const step = await aFailedUpload(['new-1'], true);
    const other = await anActiveSlice(ports);
    await anUploadingSnapshot(ports, other);

    const cleanup = await cleanUpFailedUpload(ports, step);

    expect(cleanup).toEqual({ cleaned: true });
    expect(await ports.images.in('fra1').readImage(ACCOUNT, step.snapshotId)).toBeNull();
  });

  it('leaves the image of a snapshot that did not fail', async () => {
    const { ports, slice } = given;
    const { step } = await anUploadingSnapshot(ports, slice);
    storeUploadedImage(ports, step.snapshotId, { diskBytes: 1, usedBytes: 1 }, ['new-1']);

    const cleanup = await cleanUpFailedUpload(ports, step);

    expect(cleanup).toEqual({ cleaned: false });
    expect(await ports.images.in('fra1').readImage(ACCOUNT, step.snapshotId)).not.toBeNull();
    expect(ports.images.in('fra1').keys()).toContain(chunk('new-1'));
  });
});
