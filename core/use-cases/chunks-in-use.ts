import type { Ports } from '../ports/ports.ts';

/**
 * Every chunk key the account's manifests name, except those of `except`'s: these chunks are in use
 * and never deleted. Read it only while the account's chunk deletion lease is held, when no upload
 * is in flight and none starts.
 */
export async function chunksInUse(
  deps: Pick<Ports, 'images'>,
  accountId: string,
  except: string,
): Promise<Set<string>> {
  const inUse = new Set<string>();
  for (const snapshotId of await deps.images.snapshotsWithImages(accountId)) {
    if (snapshotId === except) continue;
    // A manifest that does not verify throws: what it references is unknown, so nothing is deleted.
    const image = await deps.images.readImage(accountId, snapshotId);
    for (const key of image?.chunkKeys ?? []) inUse.add(key);
  }
  return inUse;
}
