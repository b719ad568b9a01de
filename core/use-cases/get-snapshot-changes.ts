import { CursorCodec, cursorScope } from '../pagination/cursor-codec.ts';
import { parsePageRequest } from '../pagination/page.ts';
import type { StoredImage } from '../ports/image-store.ts';
import type { Ports } from '../ports/ports.ts';
import { type ByteRange, bytesIn, changedRanges } from '../snapshots/image-changes.ts';
import { ImageIncompleteError } from '../snapshots/image-errors.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotAvailableError } from '../snapshots/snapshot-errors.ts';
import { getSnapshot } from './get-snapshot.ts';

/** What `GET /v1/snapshots/{id}/changes?base=` asks for. */
export interface GetSnapshotChangesInput {
  readonly accountId: string;
  readonly snapshotId: string;
  readonly baseId: string;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/**
 * One page of the changes: `changedBytes` counts every changed byte of the whole comparison (the
 * same on every page); `ranges` are this page's, by offset.
 */
export interface SnapshotChanges {
  readonly changedBytes: number;
  readonly ranges: readonly ByteRange[];
  readonly nextCursor: string | null;
}

type Deps = Pick<Ports, 'snapshots' | 'images' | 'cursorSigner'>;

/** The cursor's position is the offset of the last range served: a whole number of bytes. */
function isOffset(position: string): boolean {
  return /^(0|[1-9][0-9]{0,15})$/.test(position) && Number.isSafeInteger(Number(position));
}

/** The snapshot, provided it is available: its image is whole and no deletion has started. */
async function availableSnapshot(deps: Deps, accountId: string, id: string): Promise<Snapshot> {
  const snapshot = await getSnapshot(deps, { accountId, snapshotId: id });
  if (snapshot.status !== 'available') throw new SnapshotNotAvailableError(id, snapshot.status);
  return snapshot;
}

async function storedImage(deps: Deps, snapshot: Snapshot): Promise<StoredImage> {
  const image = await deps.images.in(snapshot.region).readImage(snapshot.accountId, snapshot.id);
  if (!image) throw new ImageIncompleteError(snapshot.id, 'no manifest is stored');
  return image;
}

/**
 * Where a snapshot's disk differs from the disk of another snapshot of the account (`base`), at
 * chunk granularity, computed from their two manifests (see {@link changedRanges}): one read of
 * each, no chunk read. Disks of different sizes compare too: what only the larger one has counts
 * as changed. Both must be `available` (SnapshotNotAvailableError names the one that is not); a
 * snapshot that is missing or of another account is SnapshotNotFoundError. Pages of `limit`
 * ranges; the cursor is bound to the account and the two snapshots.
 */
export async function getSnapshotChanges(
  deps: Deps,
  input: GetSnapshotChangesInput,
): Promise<SnapshotChanges> {
  const page = parsePageRequest(input);
  const codec = new CursorCodec(deps.cursorSigner);
  const scope = cursorScope('snapshot-changes', input.accountId, {
    snapshotId: input.snapshotId,
    base: input.baseId,
  });
  const after = page.cursor ? Number(codec.decode(scope, page.cursor, isOffset)) : -1;
  // One after the other, so that a request wrong about both always hears about the snapshot first.
  const snapshot = await availableSnapshot(deps, input.accountId, input.snapshotId);
  const base = await availableSnapshot(deps, input.accountId, input.baseId);
  const [snapshotImage, baseImage] = await Promise.all([
    storedImage(deps, snapshot),
    storedImage(deps, base),
  ]);
  const ranges = changedRanges(baseImage, snapshotImage);
  const rest = ranges.filter((range) => range.offset > after);
  const served = rest.slice(0, page.limit);
  const last = served.at(-1);
  return {
    changedBytes: bytesIn(ranges),
    ranges: served,
    nextCursor: rest.length > page.limit && last ? codec.encode(scope, String(last.offset)) : null,
  };
}
