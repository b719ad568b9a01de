import { describe, expect, it } from 'vitest';
import { chunkLength, chunksTouched } from '../../../../agent/image/chunk-plan.ts';

describe('chunksTouched', () => {
  it('lists each chunk a region touches once, in order', () => {
    const regions = [
      { start: 0, end: 1 },
      { start: 5, end: 12 },
      { start: 12, end: 13 },
      { start: 39, end: 40 },
    ];

    expect([...chunksTouched(regions, 4)]).toEqual([0, 1, 2, 3, 9]);
  });

  it('visits nothing for a disk without data', () => {
    expect([...chunksTouched([], 4)]).toEqual([]);
  });
});

describe('chunkLength', () => {
  it('shortens the last chunk of a disk that is not a multiple of the chunk size', () => {
    expect(chunkLength(2, 4, 10)).toBe(2);
    expect(chunkLength(1, 4, 10)).toBe(4);
  });
});
