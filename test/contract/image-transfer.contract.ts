import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { chunkKeyOf } from '../../blueprint/facts.ts';
import type { ImageStore } from '../../core/ports/image-store.ts';
import type { ImageTransfer } from '../../core/ports/image-transfer.ts';
import { ImageIncompleteError } from '../../core/snapshots/image-errors.ts';
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
  let fixture: ImageTransferFixture;
  let account: string;

  beforeEach(() => {
    fixture = make();
    account = `acct-${randomUUID()}`;
  });

  it('copies chunks into the other region, leaving them in the first', async () => {
    const [a, b] = [aHash(), aHash()];
    const keys = [chunkKeyOf(account, a), chunkKeyOf(account, b)];
    await fixture.putChunks(account, [a, b]);

    const before = await fixture.target.missingObjects(keys);
    await fixture.transfer.copyObjects({ region: FRA1, snapshotId: 'snp_1' }, NYC1, keys);

    expect(before).toEqual(keys);
    expect(await fixture.target.missingObjects(keys)).toEqual([]);
    expect(await fixture.source.missingObjects(keys)).toEqual([]);
  });

  it("writes the copy's manifest: the same chunks and sizes, under the copy's id", async () => {
    const [a, b] = [aHash(), aHash()];
    await fixture.putImage(account, 'snp_1', {
      diskBytes: 16 * 1024 * 1024,
      chunkHashes: [a, b, a],
      chunkStoredBytes: { [a]: 1_000, [b]: 2_000 },
    });
    const original = await fixture.source.readImage(account, 'snp_1');

    await fixture.transfer.copyManifest(
      account,
      { region: FRA1, snapshotId: 'snp_1' },
      { region: NYC1, snapshotId: 'snp_2' },
    );
    const copied = await fixture.target.readImage(account, 'snp_2');

    expect(copied).toMatchObject({
      snapshotId: 'snp_2',
      diskBytes: original?.diskBytes,
      chunks: original?.chunks,
      chunkKeys: original?.chunkKeys,
      chunkStoredBytes: [1_000, 2_000],
      usedBytes: original?.usedBytes,
    });
    expect(await fixture.target.readImage(account, 'snp_1')).toBeNull();
  });

  it('refuses a chunk or a manifest the source lacks, naming what is missing', async () => {
    const stored = aHash();
    await fixture.putChunks(account, [stored]);
    const absent = chunkKeyOf(account, aHash());

    const chunks = fixture.transfer.copyObjects({ region: FRA1, snapshotId: 'snp_1' }, NYC1, [
      chunkKeyOf(account, stored),
      absent,
    ]);
    await expect(chunks).rejects.toBeInstanceOf(ImageIncompleteError);
    await expect(chunks).rejects.toMatchObject({ missingKeys: [absent] });
    const manifest = fixture.transfer.copyManifest(
      account,
      { region: FRA1, snapshotId: 'snp_9' },
      { region: NYC1, snapshotId: 'snp_10' },
    );
    await expect(manifest).rejects.toBeInstanceOf(ImageIncompleteError);
  });
}
