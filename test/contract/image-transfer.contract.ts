import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { chunkKeyOf } from '../../blueprint/facts.ts';
import type { ImageStore } from '../../core/ports/image-store.ts';
import type { ImageTransfer } from '../../core/ports/image-transfer.ts';
import { ImageIncompleteError } from '../../core/snapshots/image-errors.ts';
import { freshPerTest } from './describe-contract.ts';
import { aHash, type SeededImage } from './image-store.contract.ts';

/** Two regions' stores, the agent's part in the first, and the transfer between them. */
export interface ImageTransferFixture {
  readonly transfer: ImageTransfer;
  /** fra1's store, and nyc1's. */
  readonly source: ImageStore;
  readonly target: ImageStore;
  putChunks(accountId: string, hashes: readonly string[]): Promise<void>;
  putImage(accountId: string, snapshotId: string, image: SeededImage): Promise<void>;
}

const FRA1 = 'fra1';
const NYC1 = 'nyc1';

/** The behaviour every ImageTransfer shares. */
export function imageTransferContract(make: () => ImageTransferFixture): void {
  const fresh = freshPerTest(() => ({ ...make(), account: `acct-${randomUUID()}` }));

  it('copies chunks into the other region, leaving them in the first', async () => {
    const [a, b] = [aHash(), aHash()];
    const keys = [chunkKeyOf(fresh.account, a), chunkKeyOf(fresh.account, b)];
    await fresh.putChunks(fresh.account, [a, b]);

    const before = await fresh.target.missingObjects(keys);
    await fresh.transfer.copyObjects({ region: FRA1, snapshotId: 'snp_1' }, NYC1, keys);

    expect(before).toEqual(keys);
    expect(await fresh.target.missingObjects(keys)).toEqual([]);
    expect(await fresh.source.missingObjects(keys)).toEqual([]);
  });

  it("writes the copy's manifest: the same chunks and sizes, under the copy's id", async () => {
    const [a, b] = [aHash(), aHash()];
    await fresh.putImage(fresh.account, 'snp_1', {
      diskBytes: 16 * 1024 * 1024,
      chunkHashes: [a, b, a],
      chunkStoredBytes: { [a]: 1_000, [b]: 2_000 },
    });
    const original = await fresh.source.readImage(fresh.account, 'snp_1');

    await fresh.transfer.copyManifest(
      fresh.account,
      { region: FRA1, snapshotId: 'snp_1' },
      { region: NYC1, snapshotId: 'snp_2' },
    );
    const copied = await fresh.target.readImage(fresh.account, 'snp_2');

    expect(copied).toMatchObject({
      snapshotId: 'snp_2',
      diskBytes: original?.diskBytes,
      chunks: original?.chunks,
      chunkKeys: original?.chunkKeys,
      chunkStoredBytes: [1_000, 2_000],
      usedBytes: original?.usedBytes,
    });
    expect(await fresh.target.readImage(fresh.account, 'snp_1')).toBeNull();
  });

  it('refuses a chunk or a manifest the source lacks, naming what is missing', async () => {
    const stored = aHash();
    await fresh.putChunks(fresh.account, [stored]);
    const absent = chunkKeyOf(fresh.account, aHash());

    const chunks = fresh.transfer.copyObjects({ region: FRA1, snapshotId: 'snp_1' }, NYC1, [
      chunkKeyOf(fresh.account, stored),
      absent,
    ]);
    await expect(chunks).rejects.toBeInstanceOf(ImageIncompleteError);
    await expect(chunks).rejects.toMatchObject({ missingKeys: [absent] });
    const manifest = fresh.transfer.copyManifest(
      fresh.account,
      { region: FRA1, snapshotId: 'snp_9' },
      { region: NYC1, snapshotId: 'snp_10' },
    );
    await expect(manifest).rejects.toBeInstanceOf(ImageIncompleteError);
  });
}
