import type { Ports } from '../ports/ports.ts';

/**
 * Every chunk key the account's manifests name but `except`'s: chunks in use, never deleted. Read
 * only while the account's chunk deletion lease is held (no upload in flight, none starting).
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
