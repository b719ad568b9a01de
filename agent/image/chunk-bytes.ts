import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ChunkHashAlgorithm } from '../protocol/manifest.ts';

/** Fixed chunk size of every image: big enough for cheap requests, small enough to dedupe. */
export const CHUNK_SIZE = 4 * 1024 * 1024;
/** Filesystem block: the grain at which restore leaves zeros as holes. */
export const BLOCK_SIZE = 4096;

const ZEROS = Buffer.alloc(CHUNK_SIZE);

// The package is CommonJS with a native addon per platform; require keeps its loader happy.
const { blake3 } = createRequire(import.meta.url)('@napi-rs/blake-hash') as {
  blake3(input: Uint8Array): Buffer;
};

/** Hex content address of a chunk's raw bytes. */
export function hashChunk(algorithm: ChunkHashAlgorithm, bytes: Uint8Array): string {
  if (algorithm === 'blake3') return blake3(bytes).toString('hex');
  return createHash('sha256').update(bytes).digest('hex');
}

/** memcmp against a zero buffer: several GB/s, no per-byte JavaScript. */
export function isAllZero(bytes: Buffer): boolean {
  for (let offset = 0; offset < bytes.length; offset += CHUNK_SIZE) {
    const end = Math.min(bytes.length, offset + CHUNK_SIZE);
    if (!bytes.subarray(offset, end).equals(ZEROS.subarray(0, end - offset))) return false;
  }
  return true;
}

/** The `[start, end)` runs of a buffer holding non-zero blocks: what restore writes. */
export function nonZeroRuns(bytes: Buffer, blockSize = BLOCK_SIZE): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const zeroBlock = ZEROS.subarray(0, blockSize);
  let runStart = -1;
  for (let offset = 0; offset < bytes.length; offset += blockSize) {
    const end = Math.min(bytes.length, offset + blockSize);
    const zero =
      end - offset === blockSize
        ? bytes.subarray(offset, end).equals(zeroBlock)
        : bytes.subarray(offset, end).equals(ZEROS.subarray(0, end - offset));
    if (!zero && runStart < 0) runStart = offset;
    if (zero && runStart >= 0) {
      runs.push([runStart, offset]);
      runStart = -1;
    }
  }
  if (runStart >= 0) runs.push([runStart, bytes.length]);
  return runs;
}
