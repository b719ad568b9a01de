import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, MIB, SnapshotBed } from './support/snapshot-bed.ts';

interface ByteRange {
  offset: number;
  length: number;
}

interface ChangesPage {
  changedBytes: number;
  ranges: ByteRange[];
  nextCursor: string | null;
}

/** Reads `length` bytes at `offset` of an open file (zeros past its end, as a disk reads). */
function readAt(descriptor: number, offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  readSync(descriptor, bytes, 0, length, offset);
  return bytes;
}

/**
 * The byte diff of two disk files at chunk granularity, the slow way: every chunk in which a byte
 * differs (a byte one file does not have differs from any), adjacent chunks merged.
 */
function chunkDiff(pathA: string, pathB: string): ByteRange[] {
  const [sizeA, sizeB] = [statSync(pathA).size, statSync(pathB).size];
  const longer = Math.max(sizeA, sizeB);
  const [a, b] = [openSync(pathA, 'r'), openSync(pathB, 'r')];
  const ranges: ByteRange[] = [];
  try {
    for (let offset = 0; offset < longer; offset += CHUNK_BYTES) {
      const length = Math.min(CHUNK_BYTES, longer - offset);
      const differs =
        offset + length > Math.min(sizeA, sizeB) ||
        !readAt(a, offset, length).equals(readAt(b, offset, length));
      if (!differs) continue;
      const last = ranges.at(-1);
      if (last && last.offset + last.length === offset) last.length += length;
      else ranges.push({ offset, length });
    }
  } finally {
    closeSync(a);
    closeSync(b);
  }
  return ranges;
}

/** Writes `bytes` into a file at `offset`, as `dd conv=notrunc` would. */
function writeAt(path: string, offset: number, bytes: Buffer): void {
  const descriptor = openSync(path, 'r+');
  try {
    writeSync(descriptor, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(descriptor);
  }
}

describe('the changes between two snapshots, through the real agent', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  function changesPage(token: string, snapshotId: string, query: Record<string, string>) {
    const search = new URLSearchParams(query).toString();
    return bed.api<ChangesPage>(token, 'GET', `/v1/snapshots/${snapshotId}/changes?${search}`);
  }

  /** Every page of the changes, following `nextCursor` with pages of `limit` ranges. */
  async function allChanges(token: string, snapshotId: string, baseId: string, limit: number) {
    const pages: ChangesPage[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { base: baseId, limit: String(limit) };
      if (cursor) query.cursor = cursor;
      const answer = await changesPage(token, snapshotId, query);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      cursor = answer.body.nextCursor;
    } while (cursor);
    return pages;
  }

  it("equals the byte diff of the two snapshots' restored disks at chunk granularity", async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token, 'db', 50, 1);
    bed.writeData(
      slice.id,
      [
        { offset: 0, bytes: 8 * MIB },
        { offset: 100 * MIB + 12_345, bytes: 6 * MIB },
        { offset: 512 * MIB, bytes: 4 * MIB },
      ],
      slice.diskBytes,
    );
    const before = await bed.snapshotOf(token, slice.id, { name: 'before' });
    const disk = bed.diskPath(slice.id);
    // A few bytes in chunk 0; 20 bytes across the border of chunks 3 and 4; a megabyte where
    // there was nothing (chunk 75); chunk 128 back to zeros; and chunk 25 written over with the
    // bytes it already held, which changes nothing.
    bed.writeData(slice.id, [{ offset: MIB + 5, bytes: 100 }], slice.diskBytes);
    bed.writeData(slice.id, [{ offset: 16 * MIB - 10, bytes: 20 }], slice.diskBytes);
    bed.writeData(slice.id, [{ offset: 300 * MIB, bytes: MIB }], slice.diskBytes);
    writeAt(disk, 512 * MIB, Buffer.alloc(CHUNK_BYTES));
    const descriptor = openSync(disk, 'r');
    const same = readAt(descriptor, 100 * MIB, CHUNK_BYTES);
    closeSync(descriptor);
    writeAt(disk, 100 * MIB, same);
    const after = await bed.snapshotOf(token, slice.id, { name: 'after' });
    const restoredBefore = await bed.sliceFrom(token, before.id);
    const restoredAfter = await bed.sliceFrom(token, after.id);

    const pages = await allChanges(token, after.id, before.id, 2);

    const expected = chunkDiff(bed.diskPath(restoredBefore.id), bed.diskPath(restoredAfter.id));
    expect(expected).toEqual([
      { offset: 0, length: CHUNK_BYTES },
      { offset: 3 * CHUNK_BYTES, length: 2 * CHUNK_BYTES },
      { offset: 75 * CHUNK_BYTES, length: CHUNK_BYTES },
      { offset: 128 * CHUNK_BYTES, length: CHUNK_BYTES },
    ]);
    expect(pages.flatMap((page) => page.ranges)).toEqual(expected);
    expect(pages.map((page) => page.ranges.length)).toEqual([2, 2]);
    expect(new Set(pages.map((page) => page.changedBytes))).toEqual(new Set([5 * CHUNK_BYTES]));
    const reversed = await allChanges(token, before.id, after.id, 100);
    expect(reversed.flatMap((page) => page.ranges)).toEqual(expected);
  });

  it("answers 404 for another account's snapshot or base, 409 for one not available, 400 for a bad cursor", async () => {
    const mine = await bed.sliceWithData(2);
    const theirs = await bed.sliceWithData(1);
    const [a, b] = [
      await bed.snapshotOf(mine.token, mine.slice.id),
      await bed.snapshotOf(mine.token, mine.slice.id),
    ];
    const foreign = await bed.snapshotOf(theirs.token, theirs.slice.id);

    const theirView = await changesPage(theirs.token, b.id, { base: a.id });
    const foreignBase = await changesPage(mine.token, b.id, { base: foreign.id });
    const badCursor = await changesPage(mine.token, b.id, { base: a.id, cursor: 'bm90.aXQ' });
    const recycled = await bed.api(mine.token, 'DELETE', `/v1/snapshots/${a.id}`);
    const notAvailable = await changesPage(mine.token, b.id, { base: a.id });

    expect(theirView.status).toBe(404);
    expect(theirView.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect(foreignBase.status).toBe(404);
    expect(foreignBase.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect(JSON.stringify(foreignBase.body)).toContain(foreign.id);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body).toMatchObject({ code: 'INVALID_CURSOR' });
    expect(recycled.status).toBe(202);
    expect(notAvailable.status).toBe(409);
    expect(notAvailable.body).toMatchObject({ code: 'SNAPSHOT_NOT_AVAILABLE' });
    expect(JSON.stringify(notAvailable.body)).toContain(a.id);
  });
});
