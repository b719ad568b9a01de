import { createHash } from 'node:crypto';
import { parseJsonOr } from '../../core/shared/json-text.ts';

/** The image format this agent writes and reads. */
export const MANIFEST_FORMAT = 'slice-image/1';

export type ChunkHashAlgorithm = 'blake3' | 'sha256';

/** `[chunk index, content hash of the raw chunk, bytes the stored object takes]`. */
export type ManifestChunk = readonly [index: number, hash: string, storedBytes: number];

/**
 * A snapshot's image: written last, so a snapshot with a manifest has all its chunks stored.
 * Chunks not listed are all zeros. `checksum` is the SHA-256 of the manifest serialized without it,
 * so the backend verifies a manifest with node:crypto alone.
 */
export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly accountId: string;
  readonly snapshotId: string;
  readonly createdAt: string;
  readonly diskBytes: number;
  readonly chunkSize: number;
  readonly hashAlgorithm: ChunkHashAlgorithm;
  /** Bytes in the non-zero chunks (the last chunk may be short): what the snapshot is billed on. */
  readonly usedBytes: number;
  /** Bytes the distinct referenced chunks take in the store. */
  readonly storedBytes: number;
  readonly chunkCount: number;
  /** Sorted by index. */
  readonly chunks: readonly ManifestChunk[];
  readonly checksum: string;
}

export type UnsignedManifest = Omit<Manifest, 'checksum'>;

function checksumOf(manifest: UnsignedManifest): string {
  return createHash('sha256').update(JSON.stringify(manifest)).digest('hex');
}

/** Serializes a manifest with its checksum (field order is part of the checksum). */
export function serializeManifest(manifest: UnsignedManifest): string {
  const ordered: UnsignedManifest = {
    format: manifest.format,
    accountId: manifest.accountId,
    snapshotId: manifest.snapshotId,
    createdAt: manifest.createdAt,
    diskBytes: manifest.diskBytes,
    chunkSize: manifest.chunkSize,
    hashAlgorithm: manifest.hashAlgorithm,
    usedBytes: manifest.usedBytes,
    storedBytes: manifest.storedBytes,
    chunkCount: manifest.chunkCount,
    chunks: manifest.chunks,
  };
  return JSON.stringify({ ...ordered, checksum: checksumOf(ordered) });
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Parses and verifies a manifest: checksum, format, and every chunk entry consistent with the
 * disk size (indexes sorted, unique, in range; usedBytes the sum of the chunks' lengths).
 * Throws a {@link ManifestError} naming the first problem.
 */
export function parseManifest(text: string): Manifest {
  const parsed = parseJsonOr(text, () => new ManifestError('the manifest is not JSON'));
  if (typeof parsed !== 'object' || parsed === null) throw new ManifestError('not an object');
  const { checksum, ...rest } = parsed as Record<string, unknown>;
  if (typeof checksum !== 'string' || checksumOf(rest as UnsignedManifest) !== checksum) {
    throw new ManifestError('the manifest checksum does not match its content');
  }
  const manifest = parsed as Manifest;
  if (manifest.format !== MANIFEST_FORMAT)
    throw new ManifestError(`unknown format ${manifest.format}`);
  if (manifest.hashAlgorithm !== 'blake3' && manifest.hashAlgorithm !== 'sha256') {
    throw new ManifestError(`unknown hash algorithm ${manifest.hashAlgorithm}`);
  }
  const { diskBytes, chunkSize, chunks } = manifest;
  if (!Number.isSafeInteger(diskBytes) || diskBytes < 0) throw new ManifestError('bad diskBytes');
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 4096 || chunkSize % 4096 !== 0) {
    throw new ManifestError('bad chunkSize');
  }
  if (!Array.isArray(chunks) || chunks.length !== manifest.chunkCount) {
    throw new ManifestError('chunkCount does not match the chunk list');
  }
  const chunkTotal = Math.ceil(diskBytes / chunkSize);
  let previous = -1;
  let used = 0;
  for (const entry of chunks) {
    const [index, hash, stored] = Array.isArray(entry) ? entry : [];
    if (
      !Number.isSafeInteger(index) ||
      (index as number) <= previous ||
      (index as number) >= chunkTotal
    ) {
      throw new ManifestError(`chunk index ${index} out of order or range`);
    }
    if (typeof hash !== 'string' || !HASH.test(hash))
      throw new ManifestError(`bad hash at ${index}`);
    if (!Number.isSafeInteger(stored) || (stored as number) < 0) {
      throw new ManifestError(`bad stored size at ${index}`);
    }
    previous = index as number;
    used += Math.min(chunkSize, diskBytes - previous * chunkSize);
  }
  if (used !== manifest.usedBytes) throw new ManifestError('usedBytes does not match the chunks');
  return manifest;
}

/** The distinct chunk hashes a manifest references: what must stay stored while it exists. */
export function referencedHashes(manifest: Manifest): Set<string> {
  return new Set(manifest.chunks.map(([, hash]) => hash));
}
