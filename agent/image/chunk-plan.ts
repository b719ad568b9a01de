import type { ByteRange } from '../disk/data-regions.ts';

/** The chunks a disk's data regions touch, in order, each once; holes are never visited. */
export function* chunksTouched(
  regions: readonly ByteRange[],
  chunkSize: number,
): Generator<number> {
  let last = -1;
  for (const { start, end } of regions) {
    if (end <= start) continue;
    const first = Math.max(Math.floor(start / chunkSize), last + 1);
    const final = Math.floor((end - 1) / chunkSize);
    for (let index = first; index <= final; index++) yield index;
    last = Math.max(last, final);
  }
}

/** Length of chunk `index` of a disk (the last one may be short). */
export function chunkLength(index: number, chunkSize: number, diskBytes: number): number {
  return Math.min(chunkSize, diskBytes - index * chunkSize);
}
