import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { chunkKeyOf, manifestKeyOf } from '../../blueprint/facts.ts';
import type { ImageStore } from '../../core/ports/image-store.ts';
import { ImageManifestCorruptError } from '../../core/snapshots/image-errors.ts';

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
  let fixture: ImageStoreFixture;
  let store: ImageStore;
  let account: string;

  beforeEach(() => {
    fixture = make();
    store = fixture.store;
    account = `acct-${randomUUID()}`;
  });

  it('reads an image: its manifest key, sizes and the distinct chunks it names', async () => {
    const [a, b] = [aHash(), aHash()];
    await fixture.putImage(account, 'snp_1', {
      diskBytes: 64 * CHUNK,
      chunkHashes: [a, b, a],
      chunkStoredBytes: { [a]: 1_000, [b]: 2_500 },
    });

    const image = await store.readImage(account, 'snp_1');

    expect(image).toMatchObject({
      snapshotId: 'snp_1',
      manifestKey: manifestKeyOf(account, 'snp_1'),
      diskBytes: 64 * CHUNK,
      usedBytes: 3 * CHUNK,
      chunkCount: 3,
    });
    const sizes = (image?.chunkKeys ?? []).map(
      (key, index) => [key, image?.chunkStoredBytes[index]] as const,
    );
    expect(new Map(sizes)).toEqual(
      new Map([
        [chunkKeyOf(account, a), 1_000],
        [chunkKeyOf(account, b), 2_500],
      ]),
    );
  });

  it("reads an image's layout: its chunk size, hash algorithm and each chunk's index and hash", async () => {
    const [a, b] = [aHash(), aHash()];
    await fixture.putImage(account, 'snp_1', { diskBytes: 64 * CHUNK, chunkHashes: [a, b, a] });

    const image = await store.readImage(account, 'snp_1');

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
      await fixture.putWholeChunk(account, randomBytes(64 * 1024), 'raw'),
      await fixture.putWholeChunk(account, Buffer.alloc(64 * 1024, 'a'), 'zstd'),
      await fixture.putWholeChunk(account, randomBytes(64 * 1024), 'raw'),
    ];
    const missing = aHash();
    await fixture.damageChunk(account, damaged);

    const answer = await store.damagedChunks(account, 'blake3', [
      raw,
      compressed,
      damaged,
      missing,
    ]);

    expect(answer).toEqual([damaged, missing]);
  });

  it('reads no image where no manifest is stored', async () => {
    expect(await store.readImage(account, 'snp_none')).toBeNull();
  });

  it('refuses a manifest that fails its checksum', async () => {
    await fixture.putCorruptManifest(account, 'snp_bad');

    await expect(store.readImage(account, 'snp_bad')).rejects.toBeInstanceOf(
      ImageManifestCorruptError,
    );
  });

  it('names the objects that are not stored', async () => {
    const [stored, missing] = [aHash(), aHash()];
    await fixture.putChunks(account, [stored]);

    const answer = await store.missingObjects([
      chunkKeyOf(account, stored),
      chunkKeyOf(account, missing),
    ]);

    expect(answer).toEqual([chunkKeyOf(account, missing)]);
  });

  it('lists the snapshots of the account that have an image', async () => {
    await fixture.putImage(account, 'snp_1', {
      diskBytes: CHUNK,
      chunkHashes: [aHash()],
      chunkStoredBytes: {},
    });
    await fixture.putImage(account, 'snp_2', {
      diskBytes: CHUNK,
      chunkHashes: [aHash()],
      chunkStoredBytes: {},
    });
    await fixture.putImage(`${account}-other`, 'snp_3', {
      diskBytes: CHUNK,
      chunkHashes: [aHash()],
      chunkStoredBytes: {},
    });

    expect((await store.snapshotsWithImages(account)).sort()).toEqual(['snp_1', 'snp_2']);
  });

  it("lists the account's chunks page by page, in key order, with when each was written", async () => {
    const hashes = [aHash(), aHash(), aHash()];
    await fixture.putChunks(account, hashes);
    await fixture.putChunks(`${account}-other`, [aHash()]);
    await fixture.putImage(account, 'snp_1', { diskBytes: CHUNK, chunkHashes: [hashes[0] ?? ''] });

    const listed = [];
    let cursor: string | null = null;
    do {
      const page = await store.listChunkPage(account, cursor);
      listed.push(...page.chunks);
      cursor = page.next;
    } while (cursor !== null);

    expect(listed.map((chunk) => chunk.key)).toEqual(
      hashes.map((hash) => chunkKeyOf(account, hash)).sort(),
    );
    for (const chunk of listed) {
      expect(Math.abs(chunk.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    }
  });

  it('deletes manifests and objects, whether stored or not', async () => {
    const hash = aHash();
    await fixture.putImage(account, 'snp_1', {
      diskBytes: CHUNK,
      chunkHashes: [hash],
      chunkStoredBytes: {},
    });
    await fixture.putChunks(account, [hash]);

    await store.deleteManifest(account, 'snp_1');
    await store.deleteObjects([chunkKeyOf(account, hash), chunkKeyOf(account, aHash())]);
    await store.deleteManifest(account, 'snp_none');

    expect(await store.readImage(account, 'snp_1')).toBeNull();
    expect(await store.missingObjects([chunkKeyOf(account, hash)])).toEqual([
      chunkKeyOf(account, hash),
    ]);
  });
}
