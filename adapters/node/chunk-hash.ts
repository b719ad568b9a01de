import { createHash } from 'node:crypto';
import blake3 from 'hash-wasm/dist/blake3.umd.min.js';

/** One BLAKE3 hasher per process, made on first use: each hash runs in one synchronous stretch. */
let hasher: ReturnType<typeof blake3.createBLAKE3> | undefined;

/**
 * The hex content address of a chunk's raw bytes, as the host agents name chunks: BLAKE3 (in
 * WebAssembly, so that no native addon has to ship with a Lambda bundle) or SHA-256.
 */
export async function hashChunkBytes(algorithm: string, bytes: Uint8Array): Promise<string> {
  if (algorithm === 'sha256') return createHash('sha256').update(bytes).digest('hex');
  if (algorithm !== 'blake3') throw new Error(`unknown chunk hash algorithm ${algorithm}`);
  hasher ??= blake3.createBLAKE3();
  return (await hasher).init().update(bytes).digest('hex');
}
