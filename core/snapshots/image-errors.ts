import { domainError } from '../shared/domain-error.ts';

/*
 * Errors of a snapshot's stored image, raised by the create-snapshot workflow's steps. Their `name`
 * is what the state machine's `Retry` and `Catch` match: extend, never rename.
 */

/** The image is not whole: no manifest was stored, or chunks it names are missing. */
export class ImageIncompleteError extends domainError('ImageIncompleteError', 'IMAGE_INCOMPLETE') {
  readonly missingKeys: readonly string[];

  constructor(snapshotId: string, reason: string, missingKeys: readonly string[] = []) {
    super(`the image of snapshot ${snapshotId} is incomplete: ${reason}`);
    this.missingKeys = missingKeys;
  }
}

/** The chunks of `keys` a copy was to read from the image's region are not stored there. */
export function chunksMissingAt(
  image: { snapshotId: string; region: string },
  keys: readonly string[],
): ImageIncompleteError {
  const reason = `${keys.length} chunks to copy are missing from ${image.region}`;
  return new ImageIncompleteError(image.snapshotId, reason, keys);
}

/** A manifest is stored but fails its checksum or format: nothing can be restored from it. */
export class ImageManifestCorruptError extends domainError(
  'ImageManifestCorruptError',
  'IMAGE_CORRUPT',
) {
  constructor(snapshotId: string, reason: string) {
    super(`the manifest of snapshot ${snapshotId} is corrupt: ${reason}`);
  }
}
