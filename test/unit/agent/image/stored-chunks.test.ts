import { describe, expect, it } from 'vitest';
import type { ChunkPage, ImageStore } from '../../../../agent/image/image-store.ts';
import { StoredChunks } from '../../../../agent/image/stored-chunks.ts';

/** A store holding `hashes` under account `acc`, listing `pageSize` keys a page. */
function fakeStore(hashes: string[], pageSize: number) {
  const sorted = [...hashes].sort();
  const calls = { list: 0, head: [] as string[] };
  const store: ImageStore = {
    listChunks: async (_account, next): Promise<ChunkPage> => {
      calls.list += 1;
      const from = next ? Number(next) : 0;
      const page = sorted.slice(from, from + pageSize).map((hash) => ({ hash, size: 7 }));
      return {
        chunks: page,
        ...(from + pageSize < sorted.length ? { next: String(from + pageSize) } : {}),
      };
    },
    chunkSize: async (key) => {
      calls.head.push(key);
      return sorted.includes(key.split('/').at(-1) ?? '') ? 7 : null;
    },
    putChunk: async () => undefined,
    getChunk: async () => null,
    putManifest: async () => undefined,
    getManifest: async () => null,
    getText: async () => null,
    listKeys: async () => [],
  };
  return { store, calls };
}

const hash = (n: number) => n.toString(16).padStart(64, '0');

describe('StoredChunks', () => {
  it('answers from a complete listing without a HEAD', async () => {
    const { store, calls } = fakeStore([hash(1), hash(3)], 1000);
    const chunks = new StoredChunks(store, 'acc');

    await chunks.prime(10);

    expect(await chunks.sizeOf(hash(3))).toBe(7);
    expect(await chunks.sizeOf(hash(2))).toBeNull();
    expect(calls).toEqual({ list: 1, head: [] });
  });

  it('asks with HEAD only for hashes past the end of a partial listing', async () => {
    const { store, calls } = fakeStore([hash(1), hash(2), hash(5), hash(9)], 2);
    const chunks = new StoredChunks(store, 'acc');

    // A budget of one page: hashes up to hash(2) are known either way.
    await chunks.prime(1);

    expect(await chunks.sizeOf(hash(0))).toBeNull();
    expect(await chunks.sizeOf(hash(2))).toBe(7);
    expect(await chunks.sizeOf(hash(9))).toBe(7);
    expect(await chunks.sizeOf(hash(7))).toBeNull();
    expect(calls.list).toBe(1);
    expect(calls.head).toEqual([`acc/chunks/${hash(9)}`, `acc/chunks/${hash(7)}`]);
  });

  it('lists one page per 200 chunks to upload', async () => {
    const { store, calls } = fakeStore(
      Array.from({ length: 50 }, (_, i) => hash(i)),
      10,
    );
    const chunks = new StoredChunks(store, 'acc');

    await chunks.prime(401);

    expect(calls.list).toBe(3);
  });
});
