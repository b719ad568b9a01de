import type { S3Client } from '@aws-sdk/client-s3';
import { markTalliesPrefixOf, markTallyKeyOf } from '../../blueprint/facts.ts';
import type { MarkTallyStore } from '../../core/ports/mark-tally-store.ts';
import type { ChunkTallyState } from '../../core/storage/chunk-tally.ts';
import { S3TextObjects } from './s3-text-objects.ts';

/** MarkTallyStore in the images bucket: one JSON object per pass, `<account>/marks/<mark>.json`. */
export class S3MarkTallyStore implements MarkTallyStore {
  readonly #objects: S3TextObjects;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#objects = new S3TextObjects(options.client, options.bucket);
  }

  async save(accountId: string, markId: string, tally: ChunkTallyState): Promise<void> {
    await this.#objects.put(markTallyKeyOf(accountId, markId), JSON.stringify(tally));
  }

  async load(accountId: string, markId: string): Promise<ChunkTallyState | null> {
    const text = await this.#objects.get(markTallyKeyOf(accountId, markId));
    return text === null ? null : (JSON.parse(text) as ChunkTallyState);
  }

  async delete(accountId: string, markId: string): Promise<void> {
    await this.#objects.delete(markTallyKeyOf(accountId, markId));
  }

  async deleteWrittenBefore(accountId: string, before: Date): Promise<number> {
    const stale = (await this.#objects.list(markTalliesPrefixOf(accountId))).filter(
      (object) => object.Key && (object.LastModified?.getTime() ?? 0) < before.getTime(),
    );
    for (const object of stale) await this.#objects.delete(object.Key ?? '');
    return stale.length;
  }
}
