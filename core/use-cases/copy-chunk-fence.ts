import { chunksPrefixOf } from '../../blueprint/facts.ts';
import type { CollectionStore } from '../ports/collection-store.ts';
import type { SweepNotice } from '../storage/chunk-collection.ts';

/**
 * A notice deletes nothing at or after its `deleteUntil`; this much more covers the difference
 * between the clocks of the functions that publish and read it.
 */
const CLOCK_MARGIN_MS = 300_000;

/** The hash a chunk key names. */
export function hashOfChunkKey(accountId: string, key: string): string {
  return key.slice(chunksPrefixOf(accountId).length);
}

/**
 * A copy's side of the target region's chunk collection, the same rules as an agent's upload
 * (agent/image/chunk-fence.ts, docs/chunk-collection.md): the chunks the copy must write again
 * even when the target holds them, because the condemned list or a sweep notice names them.
 */
export async function chunksToWriteAgain(
  collection: CollectionStore,
  accountId: string,
): Promise<Set<string>> {
  const avoided = new Set((await collection.readCondemned(accountId)).keys());
  for (const notice of await collection.readNotices(accountId)) {
    for (const hash of notice.eligible) avoided.add(hash);
  }
  return avoided;
}

/**
 * The notices still in force at `now` that name one of `hashes`: a sweep that may delete such a
 * chunk after the copy wrote it. The copy writes its manifest only once none is left.
 */
export async function noticesInTheWay(
  collection: CollectionStore,
  accountId: string,
  hashes: ReadonlySet<string>,
  now: Date,
): Promise<SweepNotice[]> {
  return (await collection.readNotices(accountId)).filter(
    (notice) =>
      notice.endedAt === null &&
      now.getTime() < Date.parse(notice.deleteUntil) + CLOCK_MARGIN_MS &&
      notice.eligible.some((hash) => hashes.has(hash)),
  );
}
