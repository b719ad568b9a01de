import type { ImageLayout } from './image-changes.ts';

/** A distinct chunk of an image to read back: its hash and the bytes it holds raw. */
export interface ChunkToVerify {
  readonly hash: string;
  readonly length: number;
}

/**
 * The distinct chunks an image names, in a fixed order (by hash), each once however many indexes
 * name it, with the raw bytes it holds (the last chunk of a disk may be short). A verification
 * reads them back in pages of this list: the manifest never changes, so neither does the order.
 */
export function chunksToVerify(layout: ImageLayout): ChunkToVerify[] {
  const lengths = new Map<string, number>();
  for (const [index, hash] of layout.chunks) {
    if (!lengths.has(hash)) {
      const offset = index * layout.chunkSize;
      lengths.set(hash, Math.min(layout.chunkSize, layout.diskBytes - offset));
    }
  }
  return [...lengths.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([hash, length]) => ({ hash, length }));
}
