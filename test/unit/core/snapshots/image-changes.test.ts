import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ByteRange,
  bytesIn,
  changedRanges,
  type ImageLayout,
} from '../../../../core/snapshots/image-changes.ts';

const MIB = 1024 * 1024;
const CHUNK = 4 * MIB;

/** A layout of `diskBytes` with these `[index, hash]` chunks, cut as the agent cuts disks. */
function layout(
  diskBytes: number,
  chunks: readonly (readonly [number, string])[],
  overrides: Partial<ImageLayout> = {},
): ImageLayout {
  return { diskBytes, chunkSize: CHUNK, hashAlgorithm: 'blake3', chunks, ...overrides };
}

/**
 * The layout the agent would write of `disk`: cut into chunks of `chunkSize`, all-zero chunks left
 * out, each other chunk named by its content (the bytes themselves stand in for a hash).
 */
function layoutOf(disk: readonly number[], chunkSize: number, hashAlgorithm = 'h'): ImageLayout {
  const chunks: [number, string][] = [];
  for (let offset = 0; offset < disk.length; offset += chunkSize) {
    const bytes = disk.slice(offset, offset + chunkSize);
    if (bytes.some((byte) => byte !== 0)) chunks.push([offset / chunkSize, bytes.join(',')]);
  }
  return { diskBytes: disk.length, chunkSize, hashAlgorithm, chunks };
}

/** Byte positions where two disks differ; a byte one disk does not have differs from any. */
function differingBytes(a: readonly number[], b: readonly number[]): number[] {
  const positions: number[] = [];
  for (let position = 0; position < Math.max(a.length, b.length); position++) {
    if (a[position] !== b[position]) positions.push(position);
  }
  return positions;
}

/** The byte diff at chunk granularity, computed the slow way: every chunk with a differing byte. */
function bruteForceRanges(a: readonly number[], b: readonly number[], chunkSize: number) {
  const longer = Math.max(a.length, b.length);
  const chunks = [...new Set(differingBytes(a, b).map((p) => Math.floor(p / chunkSize)))];
  const ranges: ByteRange[] = [];
  for (const index of chunks.sort((x, y) => x - y)) {
    const offset = index * chunkSize;
    const length = Math.min(chunkSize, longer - offset);
    const last = ranges.at(-1);
    if (last && last.offset + last.length === offset) {
      ranges[ranges.length - 1] = { offset: last.offset, length: last.length + length };
    } else {
      ranges.push({ offset, length });
    }
  }
  return ranges;
}

const disk = (maxLength: number) =>
  fc.array(fc.constantFrom(0, 0, 0, 1, 2), { minLength: 0, maxLength });

describe('changedRanges', () => {
  it('finds no change between an image and itself', () => {
    const image = layout(64 * MIB, [
      [0, 'a'],
      [3, 'b'],
    ]);

    expect(changedRanges(image, image)).toEqual([]);
  });

  it('names each chunk whose hash differs, and merges adjacent ones into one range', () => {
    const base = layout(64 * MIB, [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [5, 'd'],
      [9, 'e'],
    ]);
    const target = layout(64 * MIB, [
      [0, 'a'],
      [1, 'B'],
      [2, 'C'],
      [5, 'd'],
      [9, 'E'],
    ]);

    expect(changedRanges(base, target)).toEqual([
      { offset: CHUNK, length: 2 * CHUNK },
      { offset: 9 * CHUNK, length: CHUNK },
    ]);
  });

  it('counts a chunk that became zeros, and one that stopped being zeros, as changed', () => {
    const base = layout(64 * MIB, [
      [2, 'a'],
      [4, 'b'],
    ]);
    const target = layout(64 * MIB, [
      [4, 'b'],
      [7, 'c'],
    ]);

    expect(changedRanges(base, target)).toEqual([
      { offset: 2 * CHUNK, length: CHUNK },
      { offset: 7 * CHUNK, length: CHUNK },
    ]);
  });

  it('counts everything past the end of the smaller disk as changed, whichever is the base', () => {
    const small = layout(8 * MIB, [[0, 'a']]);
    const large = layout(20 * MIB, [[0, 'a']]);

    expect(changedRanges(small, large)).toEqual([{ offset: 8 * MIB, length: 12 * MIB }]);
    expect(changedRanges(large, small)).toEqual([{ offset: 8 * MIB, length: 12 * MIB }]);
  });

  it('cuts the last chunk short at the end of the disk', () => {
    const base = layout(CHUNK + 1000, [[1, 'a']]);
    const target = layout(CHUNK + 1000, [[1, 'b']]);

    expect(changedRanges(base, target)).toEqual([{ offset: CHUNK, length: 1000 }]);
  });

  it('compares no hashes of images cut or hashed differently: every chunk with data counts', () => {
    const base = layout(64 * MIB, [[0, 'a']]);
    const otherCut = layout(64 * MIB, [[0, 'a']], { chunkSize: 2 * MIB });
    const otherHash = layout(64 * MIB, [[3, 'b']], { hashAlgorithm: 'sha256' });

    expect(changedRanges(base, otherCut)).toEqual([{ offset: 0, length: CHUNK }]);
    expect(changedRanges(base, otherHash)).toEqual([
      { offset: 0, length: CHUNK },
      { offset: 3 * CHUNK, length: CHUNK },
    ]);
  });

  it('equals the byte diff of the two disks at chunk granularity', () => {
    fc.assert(
      fc.property(disk(64), disk(64), fc.integer({ min: 1, max: 8 }), (a, b, chunkSize) => {
        const ranges = changedRanges(layoutOf(a, chunkSize), layoutOf(b, chunkSize));

        expect(ranges).toEqual(bruteForceRanges(a, b, chunkSize));
      }),
      { numRuns: 500 },
    );
  });

  it('never misses a differing byte of images cut or hashed differently', () => {
    fc.assert(
      fc.property(
        disk(64),
        disk(64),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (a, b, baseChunkSize, targetChunkSize, sameHash) => {
          const ranges = changedRanges(
            layoutOf(a, baseChunkSize),
            layoutOf(b, targetChunkSize, sameHash ? 'h' : 'other'),
          );
          const covered = (position: number) =>
            ranges.some(
              (range) => range.offset <= position && position < range.offset + range.length,
            );

          expect(differingBytes(a, b).filter((position) => !covered(position))).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives sorted, disjoint, non-touching ranges within the larger disk', () => {
    fc.assert(
      fc.property(disk(64), disk(64), fc.integer({ min: 1, max: 8 }), (a, b, chunkSize) => {
        const ranges = changedRanges(layoutOf(a, chunkSize), layoutOf(b, chunkSize));

        for (const [index, range] of ranges.entries()) {
          const next = ranges[index + 1];
          expect(range.length).toBeGreaterThan(0);
          expect(range.offset + range.length).toBeLessThanOrEqual(Math.max(a.length, b.length));
          if (next) expect(next.offset).toBeGreaterThan(range.offset + range.length);
        }
      }),
    );
  });
});

describe('bytesIn', () => {
  it('adds up the lengths of the ranges', () => {
    expect(
      bytesIn([
        { offset: 0, length: 10 },
        { offset: 40, length: 5 },
      ]),
    ).toBe(15);
    expect(bytesIn([])).toBe(0);
  });
});
