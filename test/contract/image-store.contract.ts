import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { chunkKeyOf, manifestKeyOf } from '../../blueprint/facts.ts';
import type { ImageStore } from '../../core/ports/image-store.ts';
import { ImageManifestCorruptError } from '../../core/snapshots/image-errors.ts';
import { freshPerTest } from './describe-contract.ts';

const CHUNK = 4 * 1024 * 1024;

/** An image as the agent would store it: sizes and the chunk hashes of its manifest, in order. */
export interface SeededImage {
  readonly diskBytes: number;
  readonly chunkHashes: readonly string[];
  /** The bytes each chunk's stored object takes, by hash; left out, none. */
  readonly chunkStoredBytes?: Readonly<Record<string, number>>;
}

/** An ImageStore and the agent's part: storing chunks and manifests in it. */
export interface ImageStoreFixture {
  readonly store: ImageStore;
  putChunks(accountId: string, hashes: readonly string[]): Promise<void>;
  putImage(accountId: string, snapshotId: string, image: SeededImage): Promise<void>;
  putCorruptManifest(accountId: string, snapshotId: string): Promise<void>;
  /** Stores `bytes` as the agent would (raw or compressed), named by their BLAKE3 hash: answers it. */
  putWholeChunk(accountId: string, bytes: Buffer, encoding: 'raw' | 'zstd'): Promise<string>;
  /** Flips a byte of a stored chunk, as a failing disk of the store would. */
  damageChunk(accountId: string, hash: string): Promise<void>;
}

export function aHash(): string {
  return createHash('sha256').update(randomUUID()).digest('hex');
}

/** The behaviour every ImageStore shares. */
export function imageStoreContract(make: () => ImageStoreFixture): void {
  const fresh = freshPerTest(() => ({ ...make(), account: `acct-${randomUUID()}` }));

  it('reads an image: its manifest key, sizes and the distinct chunks it names', async () => {
    const [a, b] = [aHash(), aHash()];
    await fresh.putImage(fresh.account, 'snp_1', {
      diskBytes: 64 * CHUNK,
      chunkHashes: [a, b, a],
      chunkStoredBytes: { [a]: 1_000, [b]: 2_500 },
    });

    const image = await fresh.store.readImage(fresh.account, 'snp_1');

    expect(image).toMatchObject({
      snapshotId: 'snp_1',
      manifestKey: manifestKeyOf(fresh.account, 'snp_1'),
      diskBytes: 64 * CHUNK,
      usedBytes: 3 * CHUNK,
      chunkCount: 3,
    });
    const sizes = (image?.chunkKeys ?? []).map(
      (key, index) => [key, image?.chunkStoredBytes[index]] as const,
    );
    expect(new Map(sizes)).toEqual(
      new Map([
        [chunkKeyOf(fresh.account, a), 1_000],
        [chunkKeyOf(fresh.account, b), 2_500],
      ]),
    );
  });

  it("reads an image's layout: its chunk size, hash algorithm and each chunk's index and hash", async () => {
    const [a, b] = [aHash(), aHash()];
    await fresh.putImage(fresh.account, 'snp_1', { diskBytes: 64 * CHUNK, chunkHashes: [a, b, a] });

    const image = await fresh.store.readImage(fresh.account, 'snp_1');

    expect(image).toMatchObject({
      chunkSize: CHUNK,
      hashAlgorithm: 'blake3',
      chunks: [
        [0, a],
        [1, b],
        [2, a],
      ],
    });
  });

  it('names the chunks that are missing or no longer match their hash, and no whole one', async () => {
    const [raw, compressed, damaged] = [
      await fresh.putWholeChunk(fresh.account, randomBytes(64 * 1024), 'raw'),
      await fresh.putWholeChunk(fresh.account, Buffer.alloc(64 * 1024, 'a'), 'zstd'),
      await fresh.putWholeChunk(fresh.account, randomBytes(64 * 1024), 'raw'),
    ];
    const missing = aHash();
    await fresh.damageChunk(fresh.account, damaged);

    const answer = await fresh.store.damagedChunks(fresh.account, 'blake3', [
      raw,
      compressed,
      damaged,
      missing,
    ]);

    expect(answer).toEqual([damaged, missing]);
  });

  it('reads no image where no manifest is stored', async () => {
    expect(await fresh.store.readImage(fresh.account, 'snp_none')).toBeNull();
  });

  it('refuses a manifest that fails its checksum', async () => {
    await fresh.putCorruptManifest(fresh.account, 'snp_bad');

    await expect(fresh.store.readImage(fresh.account, 'snp_bad')).rejects.toBeInstanceOf(
      ImageManifestCorruptError,
    );
  });

  it('names the objects that are not stored', async () => {
    const [stored, missing] = [aHash(), aHash()];
    await fresh.putChunks(fresh.account, [stored]);

    const answer = await fresh.store.missingObjects([
      chunkKeyOf(fresh.account, stored),
      chunkKeyOf(fresh.account, missing),
    ]);

    expect(answer).toEqual([chunkKeyOf(fresh.account, missing)]);
  });

  it('lists the snapshots of the account that have an image', async () => {
    await fresh.putImage(fresh.account, 'snp_1', {
      diskBytes: CHUNK,
      chunkHashes: [aHash()],
      chunkStoredBytes: {},
    });
    await fresh.putImage(fresh.account, 'snp_2', {
      diskBytes: CHUNK,
      chunkHashes: [aHash()],
      chunkStoredBytes: {},
    });
    await fresh.putImage(`${fresh.account}-other`, 'snp_3', {
      diskBytes: CHUNK,
      chunkHashes: [aHash()],
      chunkStoredBytes: {},
    });

    expect((await fresh.store.snapshotsWithImages(fresh.account)).sort()).toEqual([
      'snp_1',
      'snp_2',
    ]);
  });

  it("lists the account's chunks page by page, in key order, with when each was written", async () => {
    const hashes = [aHash(), aHash(), aHash()];
    await fresh.putChunks(fresh.account, hashes);
    await fresh.putChunks(`${fresh.account}-other`, [aHash()]);
    await fresh.putImage(fresh.account, 'snp_1', {
      diskBytes: CHUNK,
      chunkHashes: [hashes[0] ?? ''],
    });

    const listed = [];
    let cursor: string | null = null;
    do {
      const page = await fresh.store.listChunkPage(fresh.account, cursor);
      listed.push(...page.chunks);
      cursor = page.next;
    } while (cursor !== null);

    expect(listed.map((chunk) => chunk.key)).toEqual(
      hashes.map((hash) => chunkKeyOf(fresh.account, hash)).sort(),
    );
    for (const chunk of listed) {
      expect(Math.abs(chunk.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    }
  });

  it('deletes manifests and objects, whether stored or not', async () => {
    const hash = aHash();
    await fresh.putImage(fresh.account, 'snp_1', {
      diskBytes: CHUNK,
      chunkHashes: [hash],
      chunkStoredBytes: {},
    });
    await fresh.putChunks(fresh.account, [hash]);

    await fresh.store.deleteManifest(fresh.account, 'snp_1');
    await fresh.store.deleteObjects([
      chunkKeyOf(fresh.account, hash),
      chunkKeyOf(fresh.account, aHash()),
    ]);
    await fresh.store.deleteManifest(fresh.account, 'snp_none');

    expect(await fresh.store.readImage(fresh.account, 'snp_1')).toBeNull();
    expect(await fresh.store.missingObjects([chunkKeyOf(fresh.account, hash)])).toEqual([
      chunkKeyOf(fresh.account, hash),
    ]);
  });
}
