import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDataRegions } from '../../../../agent/disk/data-regions.ts';

const dir = mkdtempSync(join(tmpdir(), 'regions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sparseFile(name: string, size: number, writes: Array<[number, number]>): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  for (const [offset, length] of writes)
    writeSync(fd, Buffer.alloc(length, 0xaa), 0, length, offset);
  closeSync(fd);
  return path;
}

describe('findDataRegions', () => {
  it('finds the data of a sparse file without its holes', async () => {
    const GiB = 1024 ** 3;
    const path = sparseFile('a.raw', 8 * GiB, [
      [0, 4096],
      [3 * GiB, 1024 * 1024],
    ]);

    const regions = await findDataRegions(path, 8 * GiB);

    expect(regions.length).toBe(2);
    expect(regions[0]).toEqual({ start: 0, end: 4096 });
    expect(regions[1]!.start).toBeLessThanOrEqual(3 * GiB);
    expect(regions[1]!.end).toBeGreaterThanOrEqual(3 * GiB + 1024 * 1024);
    expect(regions[1]!.end - regions[1]!.start).toBeLessThan(4 * 1024 * 1024);
  });

  it('finds nothing in a file that is one hole', async () => {
    const path = sparseFile('b.raw', 1024 ** 3, []);

    expect(await findDataRegions(path, 1024 ** 3)).toEqual([]);
  });

  it('finds the last byte of a file', async () => {
    const size = 10 * 1024 * 1024 + 5;
    const path = sparseFile('c.raw', size, [[size - 1, 1]]);

    const regions = await findDataRegions(path, size);

    expect(regions.at(-1)?.end).toBe(size);
  });
});
