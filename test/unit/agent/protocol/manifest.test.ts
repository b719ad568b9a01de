import { describe, expect, it } from 'vitest';
import {
  MANIFEST_FORMAT,
  parseManifest,
  serializeManifest,
  type UnsignedManifest,
} from '../../../../agent/protocol/manifest.ts';

const MiB = 1024 * 1024;
const manifest: UnsignedManifest = {
  format: MANIFEST_FORMAT,
  accountId: 'acc',
  snapshotId: 'snp',
  createdAt: '2025-01-01T00:00:00.000Z',
  diskBytes: 10 * MiB,
  chunkSize: 4 * MiB,
  hashAlgorithm: 'blake3',
  usedBytes: 4 * MiB + 2 * MiB,
  storedBytes: 123,
  chunkCount: 2,
  chunks: [
    [0, 'a'.repeat(64), 100],
    [2, 'b'.repeat(64), 23],
  ],
};

describe('parseManifest', () => {
  it('reads back what serializeManifest wrote', () => {
    const parsed = parseManifest(serializeManifest(manifest));

    expect(parsed).toEqual({ ...manifest, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a manifest whose content changed after it was written', () => {
    const text = serializeManifest(manifest).replace('"b', '"c');

    expect(() => parseManifest(text)).toThrow(/checksum/);
  });

  it('refuses chunks out of order even with a valid checksum', () => {
    const text = serializeManifest({
      ...manifest,
      chunks: [manifest.chunks[1]!, manifest.chunks[0]!],
    });

    expect(() => parseManifest(text)).toThrow(/out of order/);
  });

  it('refuses a usedBytes that is not the sum of the chunk lengths', () => {
    const text = serializeManifest({ ...manifest, usedBytes: 8 * MiB });

    expect(() => parseManifest(text)).toThrow(/usedBytes/);
  });

  it('refuses a chunk index past the end of the disk', () => {
    const text = serializeManifest({
      ...manifest,
      chunks: [[3, 'a'.repeat(64), 1]],
      chunkCount: 1,
      usedBytes: 4 * MiB,
    });

    expect(() => parseManifest(text)).toThrow(/range/);
  });
});
