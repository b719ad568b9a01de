import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { ChunkTally, type MarkedManifest, regionalChunk } from '../storage/chunk-tally.ts';
import {
  LIVE_STATUSES,
  MANIFEST_READS_AT_ONCE,
  MARK_PAGE_SIZE,
  MARK_START,
  type MarkPosition,
} from '../storage/mark-pass.ts';
import { MarkTallyMissingError } from '../storage/storage-errors.ts';

type Deps = Pick<Ports, 'snapshots' | 'images' | 'markTallies' | 'storage' | 'clock'>;

/** One page's input: the pass, and where it stands (no `position` on the first page). */
export interface MarkStoragePageInput {
  readonly accountId: string;
  readonly markId: string;
  /** Set by the first page: when the pass began. */
  readonly asOf?: string;
  readonly position?: MarkPosition;
}

/** Where the pass stands after a page: `position` null once every live snapshot is marked. */
export interface MarkStoragePageOutput {
  readonly accountId: string;
  readonly markId: string;
  readonly asOf: string;
  readonly position: MarkPosition | null;
  readonly snapshotsMarked: number;
  readonly chunksMarked: number;
}

async function manifestOf(deps: Deps, snapshot: Snapshot): Promise<MarkedManifest | null> {
  // A corrupt manifest throws: the pass fails rather than report figures that leave it out.
  const image = await deps.images.in(snapshot.region).readImage(snapshot.accountId, snapshot.id);
  if (image === null) return null;
  return {
    snapshotId: snapshot.id,
    sliceId: snapshot.sliceId,
    usedBytes: image.usedBytes,
    billed: snapshot.status === 'available',
    chunks: image.chunkKeys.map(
      (key, index) =>
        [regionalChunk(snapshot.region, key), image.chunkStoredBytes[index] ?? 0] as const,
    ),
  };
}

async function manifestsOf(deps: Deps, snapshots: readonly Snapshot[]) {
  const manifests: MarkedManifest[] = [];
  for (let start = 0; start < snapshots.length; start += MANIFEST_READS_AT_ONCE) {
    const group = snapshots.slice(start, start + MANIFEST_READS_AT_ONCE);
    for (const manifest of await Promise.all(group.map((each) => manifestOf(deps, each)))) {
      if (manifest !== null) manifests.push(manifest);
    }
  }
  return manifests;
}

function nextPosition(position: MarkPosition, nextCursor: string | null): MarkPosition | null {
  if (nextCursor !== null) return { phase: position.phase, cursor: nextCursor };
  return position.phase === 'listed' ? { phase: 'recycled', cursor: null } : null;
}

/**
 * storage-mark's `MarkPage`: marks the chunks named by one page of the account's live snapshots
 * (see LIVE_STATUSES), the tally of the pages before it taken up from the store and saved again.
 * The first page begins the pass: it takes the time as `asOf`, so that a pass requested after
 * this one begins is another pass, and starts an empty tally. A retried page counts nothing twice:
 * the tally marks each snapshot once.
 */
export async function markStoragePage(
  deps: Deps,
  input: MarkStoragePageInput,
): Promise<MarkStoragePageOutput> {
  const first = input.position === undefined;
  const asOf = input.asOf ?? toIsoTime(deps.clock.now());
  if (first) await deps.storage.markBegun(input.accountId);
  const position = input.position ?? MARK_START;
  const state = first ? null : await deps.markTallies.load(input.accountId, input.markId);
  if (!first && state === null) throw new MarkTallyMissingError(input.accountId, input.markId);
  const tally = new ChunkTally(state ?? undefined);
  const page = await deps.snapshots.list(
    input.accountId,
    position.phase === 'recycled' ? { status: 'recycled' } : {},
    { limit: MARK_PAGE_SIZE, cursor: position.cursor },
  );
  const live = page.items.filter((snapshot) => LIVE_STATUSES.includes(snapshot.status));
  for (const manifest of await manifestsOf(deps, live)) tally.add(manifest);
  await deps.markTallies.save(input.accountId, input.markId, tally.state());
  return {
    accountId: input.accountId,
    markId: input.markId,
    asOf,
    position: nextPosition(position, page.nextCursor),
    snapshotsMarked: tally.snapshotCount,
    chunksMarked: tally.chunkCount,
  };
}
