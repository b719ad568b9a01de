/** A stored chunk of an image: its index on the disk and the content hash of its raw bytes. */
export type ImageChunk = readonly [index: number, hash: string];

/**
 * How a snapshot's image lays its disk out: the disk cut into chunks of `chunkSize` bytes (the
 * last one may be short), of which only the non-zero ones are listed. A chunk not listed is all
 * zeros, so two images name the same bytes at a chunk exactly when both leave it out or both list
 * it with one hash (hashes made by one algorithm).
 */
export interface ImageLayout {
  readonly diskBytes: number;
  readonly chunkSize: number;
  /** The algorithm of the chunk hashes: hashes made by different algorithms never compare. */
  readonly hashAlgorithm: string;
  /** The non-zero chunks, sorted by index. */
  readonly chunks: readonly ImageChunk[];
}

/** A run of bytes of a disk, `[offset, offset + length)`. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** The chunk's bytes on a disk of `diskBytes`, cut short at the disk's end. */
function chunkRange(index: number, chunkSize: number, diskBytes: number): ByteRange {
  const offset = index * chunkSize;
  return { offset, length: Math.min(chunkSize, diskBytes - offset) };
}

/** Ranges sorted by offset, overlapping and touching ones merged into one. */
function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  const merged: { offset: number; end: number }[] = [];
  for (const range of sorted) {
    if (range.length <= 0) continue;
    const last = merged.at(-1);
    const end = range.offset + range.length;
    if (last && range.offset <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ offset: range.offset, end });
  }
  return merged.map(({ offset, end }) => ({ offset, length: end - offset }));
}

/** The chunks whose content differs between two images cut and hashed alike. */
function differingChunks(base: ImageLayout, target: ImageLayout): number[] {
  const differing: number[] = [];
  let b = 0;
  let t = 0;
  // Both lists are sorted by index: one pass over them, as a merge would.
  while (b < base.chunks.length || t < target.chunks.length) {
    const inBase = base.chunks[b];
    const inTarget = target.chunks[t];
    if (inBase && (!inTarget || inBase[0] < inTarget[0])) {
      differing.push(inBase[0]);
      b += 1;
    } else if (inTarget && (!inBase || inTarget[0] < inBase[0])) {
      differing.push(inTarget[0]);
      t += 1;
    } else if (inBase && inTarget) {
      if (inBase[1] !== inTarget[1]) differing.push(inBase[0]);
      b += 1;
      t += 1;
    }
  }
  return differing;
}

/**
 * Where the disk of `target` differs from the disk of `base`, at chunk granularity, from their
 * layouts alone (no chunk is read): the chunks whose hashes differ, a chunk listed in one and
 * left out (all zeros) in the other, and everything from the chunk where the smaller disk ends to
 * the end of the larger one (bytes one disk does not have at all differ from any). Adjacent
 * changed chunks are one range; ranges are sorted.
 *
 * Images cut into chunks of different sizes, or hashed by different algorithms, have no hashes to
 * compare: every chunk holding data in either then counts as changed, and only the runs of zeros
 * both share count as unchanged. The ranges never miss a change; they may then name more.
 */
export function changedRanges(base: ImageLayout, target: ImageLayout): ByteRange[] {
  const shorter = Math.min(base.diskBytes, target.diskBytes);
  const longer = Math.max(base.diskBytes, target.diskBytes);
  const comparable =
    base.chunkSize === target.chunkSize && base.hashAlgorithm === target.hashAlgorithm;
  const ranges: ByteRange[] = [];
  if (longer > shorter) {
    const tail = comparable ? shorter - (shorter % base.chunkSize) : shorter;
    ranges.push({ offset: tail, length: longer - tail });
  }
  if (comparable) {
    for (const index of differingChunks(base, target)) {
      ranges.push(chunkRange(index, base.chunkSize, longer));
    }
  } else {
    for (const layout of [base, target]) {
      for (const [index] of layout.chunks) {
        ranges.push(chunkRange(index, layout.chunkSize, layout.diskBytes));
      }
    }
  }
  return mergeRanges(ranges);
}

/** The bytes the ranges cover. */
export function bytesIn(ranges: readonly ByteRange[]): number {
  return ranges.reduce((sum, range) => sum + range.length, 0);
}
