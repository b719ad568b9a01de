import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { InvalidCursorError } from '../../../../core/shared/persistence-errors.ts';
import { ImageIncompleteError } from '../../../../core/snapshots/image-errors.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { getSnapshotChanges } from '../../../../core/use-cases/get-snapshot-changes.ts';
import { ACCOUNT, anAvailableSnapshot, aSnapshot } from '../../../support/records.ts';

const MIB = 1024 * 1024;
const CHUNK = 4 * MIB;
const DISK = 64 * MIB;
const OTHER = 'acct-2';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts();
});

/** An available snapshot whose image holds `hashes` at their chunk indexes (others all zeros). */
async function aSnapshotWithImage(
  hashes: Readonly<Record<number, string>>,
  overrides: Partial<Snapshot> = {},
): Promise<Snapshot> {
  const snapshot = anAvailableSnapshot({ diskBytes: DISK, ...overrides });
  await ports.snapshots.create(snapshot);
  const indexes = Object.keys(hashes)
    .map(Number)
    .sort((a, b) => a - b);
  ports.images.in('fra1').putImage(snapshot.accountId, snapshot.id, {
    diskBytes: snapshot.diskBytes,
    usedBytes: indexes.length * CHUNK,
    indexes,
    chunkHashes: indexes.map((index) => hashes[index] ?? ''),
  });
  return snapshot;
}

function changes(
  snapshot: Snapshot,
  base: Snapshot,
  page: { limit?: number; cursor?: string } = {},
) {
  return getSnapshotChanges(ports, {
    accountId: ACCOUNT,
    snapshotId: snapshot.id,
    baseId: base.id,
    ...page,
  });
}

describe('getSnapshotChanges', () => {
  it('answers the changed chunks of the two manifests as merged ranges, and their bytes', async () => {
    const base = await aSnapshotWithImage({ 0: 'a', 1: 'b', 2: 'c', 7: 'd' });
    const snapshot = await aSnapshotWithImage({ 0: 'a', 1: 'B', 2: 'C', 9: 'e' });

    const answer = await changes(snapshot, base);

    expect(answer).toEqual({
      changedBytes: 4 * CHUNK,
      ranges: [
        { offset: CHUNK, length: 2 * CHUNK },
        { offset: 7 * CHUNK, length: CHUNK },
        { offset: 9 * CHUNK, length: CHUNK },
      ],
      nextCursor: null,
    });
  });

  it('pages the ranges by cursor, each once, with the whole comparison’s bytes on every page', async () => {
    const base = await aSnapshotWithImage({});
    const snapshot = await aSnapshotWithImage({ 0: 'a', 2: 'b', 4: 'c', 6: 'd', 8: 'e' });

    const first = await changes(snapshot, base, { limit: 2 });
    const second = await changes(snapshot, base, { limit: 2, cursor: first.nextCursor ?? '' });
    const third = await changes(snapshot, base, { limit: 2, cursor: second.nextCursor ?? '' });

    expect([...first.ranges, ...second.ranges, ...third.ranges].map((r) => r.offset)).toEqual([
      0,
      2 * CHUNK,
      4 * CHUNK,
      6 * CHUNK,
      8 * CHUNK,
    ]);
    expect([first.changedBytes, second.changedBytes, third.changedBytes]).toEqual([
      5 * CHUNK,
      5 * CHUNK,
      5 * CHUNK,
    ]);
    expect(first.nextCursor).not.toBeNull();
    expect(third.nextCursor).toBeNull();
  });

  it('gives no cursor when the last page is exactly full', async () => {
    const base = await aSnapshotWithImage({});
    const snapshot = await aSnapshotWithImage({ 0: 'a', 2: 'b' });

    expect((await changes(snapshot, base, { limit: 2 })).nextCursor).toBeNull();
  });

  it('refuses a cursor issued for another pair of snapshots, or made up', async () => {
    const base = await aSnapshotWithImage({});
    const snapshot = await aSnapshotWithImage({ 0: 'a', 2: 'b', 4: 'c' });
    const other = await aSnapshotWithImage({ 1: 'x' });
    const { nextCursor } = await changes(snapshot, base, { limit: 1 });

    await expect(
      changes(snapshot, other, { limit: 1, cursor: nextCursor ?? '' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(
      changes(snapshot, base, { cursor: 'bm90LWEtY3Vyc29y.xyz' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('refuses a limit outside 1–100', async () => {
    const base = await aSnapshotWithImage({});

    await expect(changes(base, base, { limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(changes(base, base, { limit: 101 })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('compares disks of different sizes: what only the larger one has is changed', async () => {
    const base = await aSnapshotWithImage({ 0: 'a' }, { diskBytes: 8 * MIB });
    const snapshot = await aSnapshotWithImage({ 0: 'a' }, { diskBytes: 32 * MIB });

    expect((await changes(snapshot, base)).ranges).toEqual([{ offset: 8 * MIB, length: 24 * MIB }]);
  });

  it('finds nothing changed between a snapshot and itself', async () => {
    const snapshot = await aSnapshotWithImage({ 0: 'a', 3: 'b' });

    expect(await changes(snapshot, snapshot)).toEqual({
      changedBytes: 0,
      ranges: [],
      nextCursor: null,
    });
  });

  it('answers not found for a snapshot or a base of another account, as for a missing one', async () => {
    const mine = await aSnapshotWithImage({ 0: 'a' });
    const theirs = await aSnapshotWithImage({ 0: 'b' }, { accountId: OTHER });

    await expect(changes(theirs, mine)).rejects.toBeInstanceOf(SnapshotNotFoundError);
    await expect(changes(mine, theirs)).rejects.toMatchObject({
      name: 'SnapshotNotFoundError',
      message: expect.stringContaining(theirs.id),
    });
    await expect(
      getSnapshotChanges(ports, { accountId: ACCOUNT, snapshotId: mine.id, baseId: 'snp_nope' }),
    ).rejects.toBeInstanceOf(SnapshotNotFoundError);
  });

  it('refuses a snapshot or a base that is not available, naming it', async () => {
    const available = await aSnapshotWithImage({ 0: 'a' });
    const pending = aSnapshot({ diskBytes: DISK });
    await ports.snapshots.create(pending);

    await expect(changes(pending, available)).rejects.toBeInstanceOf(SnapshotNotAvailableError);
    await expect(changes(available, pending)).rejects.toMatchObject({
      name: 'SnapshotNotAvailableError',
      status: 'pending',
      message: expect.stringContaining(pending.id),
    });
  });

  it('says the image is incomplete when an available snapshot has no manifest', async () => {
    const base = await aSnapshotWithImage({ 0: 'a' });
    const bare = anAvailableSnapshot({ diskBytes: DISK });
    await ports.snapshots.create(bare);

    await expect(changes(bare, base)).rejects.toBeInstanceOf(ImageIncompleteError);
  });
});
