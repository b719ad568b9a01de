import { describe, expect, it } from 'vitest';
import { hashChunk, isAllZero, nonZeroRuns } from '../../../../agent/image/chunk-bytes.ts';

describe('nonZeroRuns', () => {
  it('returns the runs of non-zero blocks, leaving zero blocks out', () => {
    const bytes = Buffer.alloc(8 * 4096);
    bytes[0] = 1;
    bytes[4096 * 1 + 7] = 1;
    bytes[4096 * 5] = 1;
    bytes[bytes.length - 1] = 1;

    expect(nonZeroRuns(bytes)).toEqual([
      [0, 2 * 4096],
      [5 * 4096, 6 * 4096],
      [7 * 4096, 8 * 4096],
    ]);
  });

  it('handles a short last block', () => {
    const bytes = Buffer.alloc(4096 + 10);
    bytes[4096 + 9] = 1;

    expect(nonZeroRuns(bytes)).toEqual([[4096, 4106]]);
  });
});

describe('isAllZero', () => {
  it('tells zeros from a single set bit', () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024);
    const zero = isAllZero(bytes);
    bytes[bytes.length - 1] = 0x80;

    expect(zero).toBe(true);
    expect(isAllZero(bytes)).toBe(false);
  });
});

describe('hashChunk', () => {
  it('computes the BLAKE3 and SHA-256 reference digests', () => {
    expect(hashChunk('blake3', Buffer.from('abc'))).toBe(
      '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85',
    );
    expect(hashChunk('sha256', Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
