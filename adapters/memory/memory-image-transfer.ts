import type { ImageLocation, ImageTransfer } from '../../core/ports/image-transfer.ts';
import type { Regional } from '../../core/ports/regional.ts';
import { chunksMissingAt, ImageIncompleteError } from '../../core/snapshots/image-errors.ts';
import type { MemoryImageStore } from './memory-image-store.ts';

/** ImageTransfer between the memory stores of the regions. */
export class MemoryImageTransfer implements ImageTransfer {
  readonly #stores: Regional<MemoryImageStore>;
  /** Every key copied, in order, for tests to read what a copy transferred. */
  readonly copied: string[] = [];

  constructor(stores: Regional<MemoryImageStore>) {
    this.#stores = stores;
  }

  async copyObjects(from: ImageLocation, toRegion: string, keys: readonly string[]) {
    const missing = this.#stores.in(from.region).copyObjectsTo(this.#stores.in(toRegion), keys);
    this.copied.push(...keys.filter((key) => !missing.includes(key)));
    if (missing.length > 0) throw chunksMissingAt(from, missing);
  }

  async copyManifest(accountId: string, from: ImageLocation, to: ImageLocation): Promise<void> {
    const source = this.#stores.in(from.region);
    if (
      !source.copyManifestTo(this.#stores.in(to.region), accountId, from.snapshotId, to.snapshotId)
    ) {
      throw new ImageIncompleteError(from.snapshotId, 'no manifest is stored');
    }
  }
}
