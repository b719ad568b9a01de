import { execFile } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { findDataRegions } from '../../../../agent/disk/data-regions.ts';

const run = promisify(execFile);
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** Writes buffers at offsets into an existing (sparse) file. */
export function writeAt(path: string, writes: ReadonlyArray<readonly [number, Buffer]>): void {
  const fd = openSync(path, 'r+');
  try {
    for (const [offset, bytes] of writes) writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Unique, cheap-to-compress bytes: a chunk-sized pattern seeded by `seed`. */
export function patterned(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  const line = Buffer.from(`block ${seed} of a test disk, compressible but unique. `);
  for (let offset = 0; offset < length; offset += line.length) line.copy(bytes, offset);
  return bytes;
}

/**
 * Asserts two disk files are byte-for-byte identical with `cmp`. Past 256 MiB it compares with `cmp`
 * over the union of both files' data regions only: everything outside is a hole in both, which
 * reads as zeros in both (this is what keeps the 16 GiB case fast).
 */
export async function expectSameContent(a: string, b: string): Promise<void> {
  const size = statSync(a).size;
  if (statSync(b).size !== size) throw new Error(`${a} and ${b} differ in size`);
  if (size <= 256 * MiB) {
    await run('cmp', [a, b]);
    return;
  }
  const regions = [...(await findDataRegions(a, size)), ...(await findDataRegions(b, size))].sort(
    (x, y) => x.start - y.start,
  );
  for (const { start, end } of regions) {
    await run('cmp', [`--ignore-initial=${start}`, `--bytes=${end - start}`, a, b]);
  }
}
