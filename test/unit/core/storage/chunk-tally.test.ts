import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AccountStorage, dedupRatioOf } from '../../../../core/storage/account-storage.ts';
import { ChunkTally, type MarkedManifest } from '../../../../core/storage/chunk-tally.ts';

const AS_OF = '2026-12-05T12:00:00.000Z';

/** A pool of chunks with fixed stored sizes, and manifests that each name some of them. */
const ACCOUNT = fc
  .array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 40 })
  .chain((sizes) =>
    fc.record({
      sizes: fc.constant(sizes),
      manifests: fc.array(
        fc.record({
          slice: fc.integer({ min: 0, max: 3 }),
          billed: fc.boolean(),
          usedBytes: fc.integer({ min: 0, max: 2 ** 40 }),
          // Repeats are allowed: a disk may hold the same chunk at several offsets.
          chunkIndexes: fc.array(fc.nat({ max: sizes.length - 1 }), { maxLength: 30 }),
        }),
        { maxLength: 25 },
      ),
      pageSize: fc.integer({ min: 1, max: 10 }),
    }),
  );

type Account = typeof ACCOUNT extends fc.Arbitrary<infer T> ? T : never;

function manifestsOf(account: Account): MarkedManifest[] {
  return account.manifests.map((manifest, index) => ({
    snapshotId: `snp_${index}`,
    sliceId: `slc_${manifest.slice}`,
    usedBytes: manifest.usedBytes,
    billed: manifest.billed,
    chunks: manifest.chunkIndexes.map(
      (chunk) => [`acct/chunks/${chunk}`, account.sizes[chunk] ?? 0] as const,
    ),
  }));
}

/** Marks the manifests a page at a time, the tally going through JSON between pages as it does in the workflow. */
function markInPages(manifests: readonly MarkedManifest[], pageSize: number): ChunkTally {
  let tally = new ChunkTally();
  for (let start = 0; start < manifests.length; start += pageSize) {
    for (const manifest of manifests.slice(start, start + pageSize)) tally.add(manifest);
    tally = new ChunkTally(JSON.parse(JSON.stringify(tally.state())));
  }
  return tally;
}

/** The stored bytes of the chunks `manifest` names and no other manifest does, counted the slow way. */
function bruteForceExclusive(manifests: readonly MarkedManifest[], snapshotId: string): number {
  const mine = manifests.find((each) => each.snapshotId === snapshotId);
  const others = manifests.filter((each) => each.snapshotId !== snapshotId);
  let total = 0;
  const counted: string[] = [];
  for (const [key, size] of mine?.chunks ?? []) {
    if (counted.includes(key)) continue;
    counted.push(key);
    if (!others.some((other) => other.chunks.some(([otherKey]) => otherKey === key))) total += size;
  }
  return total;
}

/**
 * Checks `expectation` for every generated account: its manifests, and what the tally answers once
 * they are marked a page at a time.
 */
function forEveryAccount(
  expectation: (manifests: readonly MarkedManifest[], storage: AccountStorage) => void,
): void {
  fc.assert(
    fc.property(ACCOUNT, (account) => {
      const manifests = manifestsOf(account);
      expectation(manifests, markInPages(manifests, account.pageSize).result('acct', AS_OF));
    }),
  );
}

describe('ChunkTally', () => {
  it('gives each snapshot the exclusive bytes a brute-force count finds, whatever the pages', () => {
    forEveryAccount((manifests, storage) => {
      for (const manifest of manifests) {
        expect(storage.snapshots[manifest.snapshotId]?.exclusiveBytes).toBe(
          bruteForceExclusive(manifests, manifest.snapshotId),
        );
      }
    });
  });

  it('gives each snapshot the stored bytes of its distinct chunks and the account those of every live chunk', () => {
    forEveryAccount((manifests, storage) => {
      for (const manifest of manifests) {
        const distinct = new Map(manifest.chunks);
        const stored = [...distinct.values()].reduce((sum, size) => sum + size, 0);
        expect(storage.snapshots[manifest.snapshotId]?.storedBytes).toBe(stored);
      }
      const live = new Map(manifests.flatMap((manifest) => manifest.chunks));
      expect(storage.storedBytes).toBe([...live.values()].reduce((sum, size) => sum + size, 0));
      expect(storage.logicalBytes).toBe(manifests.reduce((sum, each) => sum + each.usedBytes, 0));
    });
  });

  it("gives each slice the bytes no other slice's snapshot names, and adds up its snapshots", () => {
    forEveryAccount((manifests, storage) => {
      for (const line of storage.bySlice) {
        const mine = manifests.filter((each) => each.sliceId === line.sliceId);
        const others = manifests.filter((each) => each.sliceId !== line.sliceId);
        const named = new Map(mine.flatMap((each) => each.chunks));
        const elsewhere = new Set(others.flatMap((each) => each.chunks.map(([key]) => key)));
        const exclusive = [...named].filter(([key]) => !elsewhere.has(key));
        expect(line.exclusiveBytes).toBe(exclusive.reduce((sum, [, size]) => sum + size, 0));
        expect(line.snapshots).toBe(mine.length);
        expect(line.billedBytes).toBe(
          mine.reduce((sum, each) => sum + (each.billed ? each.usedBytes : 0), 0),
        );
      }
    });
  });

  it('frees nothing by deleting one of two snapshots that name the same chunks', () => {
    const tally = new ChunkTally();
    const chunks = [['a', 100] as const, ['b', 50] as const];
    tally.add({ snapshotId: 's1', sliceId: 'x', usedBytes: 400, billed: true, chunks });
    tally.add({ snapshotId: 's2', sliceId: 'x', usedBytes: 400, billed: false, chunks });

    const storage = tally.result('acct', AS_OF);

    expect(storage.snapshots).toEqual({
      s1: { storedBytes: 150, exclusiveBytes: 0 },
      s2: { storedBytes: 150, exclusiveBytes: 0 },
    });
    expect(storage).toMatchObject({ logicalBytes: 800, storedBytes: 150, billedBytes: 400 });
    expect(storage.bySlice).toEqual([
      { sliceId: 'x', snapshots: 2, logicalBytes: 800, billedBytes: 400, exclusiveBytes: 150 },
    ]);
    expect(dedupRatioOf(storage)).toBe(5.33);
  });

  it('says an account that stores nothing shares nothing', () => {
    expect(dedupRatioOf(new ChunkTally().result('acct', AS_OF))).toBe(1);
  });
});

describe('ChunkTally.add', () => {
  it('marks a snapshot listed twice once, as a retried page lists it', () => {
    const tally = new ChunkTally();
    const manifest: MarkedManifest = {
      snapshotId: 's1',
      sliceId: 'x',
      usedBytes: 10,
      billed: true,
      chunks: [['a', 7]],
    };
    tally.add(manifest);

    const again = new ChunkTally(tally.state());
    again.add(manifest);

    expect(again.result('acct', AS_OF)).toMatchObject({
      logicalBytes: 10,
      storedBytes: 7,
      snapshots: { s1: { storedBytes: 7, exclusiveBytes: 7 } },
    });
  });
});
