import type { S3Client } from '@aws-sdk/client-s3';
import {
  parseCondemnedList,
  parseSweepNotice,
  serializeCondemnedList,
  serializeSweepNotice,
} from '../../agent/protocol/chunk-collection.ts';
import {
  condemnedChunksKeyOf,
  sweepNoticeKeyOf,
  sweepNoticesPrefixOf,
  sweepProgressKeyOf,
} from '../../blueprint/facts.ts';
import type { CollectionStore } from '../../core/ports/collection-store.ts';
import type {
  CondemnedChunks,
  SweepNotice,
  SweepProgress,
} from '../../core/storage/chunk-collection.ts';
import { S3TextObjects } from './s3-text-objects.ts';

/**
 * CollectionStore in the images bucket, under `<account>/collection/`: the condemned list and the
 * notices in the format agents read (agent/protocol/chunk-collection.ts), the progress as JSON.
 */
export class S3CollectionStore implements CollectionStore {
  readonly #objects: S3TextObjects;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#objects = new S3TextObjects(options.client, options.bucket);
  }

  async readCondemned(accountId: string): Promise<Map<string, string>> {
    const text = await this.#objects.get(condemnedChunksKeyOf(accountId));
    return new Map(text === null ? [] : Object.entries(parseCondemnedList(text).chunks));
  }

  async writeCondemned(accountId: string, condemned: CondemnedChunks): Promise<void> {
    await this.#objects.put(condemnedChunksKeyOf(accountId), serializeCondemnedList(condemned));
  }

  async readNotice(accountId: string, markId: string): Promise<SweepNotice | null> {
    const text = await this.#objects.get(sweepNoticeKeyOf(accountId, markId));
    if (text === null) return null;
    const { format: _format, ...notice } = parseSweepNotice(text);
    return notice;
  }

  async readNotices(accountId: string): Promise<SweepNotice[]> {
    const notices: SweepNotice[] = [];
    for (const { Key: key } of await this.#objects.list(sweepNoticesPrefixOf(accountId))) {
      const text = key === undefined ? null : await this.#objects.get(key);
      if (text === null) continue;
      const { format: _format, ...notice } = parseSweepNotice(text);
      notices.push(notice);
    }
    return notices;
  }

  async writeNotice(accountId: string, notice: SweepNotice): Promise<void> {
    await this.#objects.put(
      sweepNoticeKeyOf(accountId, notice.markId),
      serializeSweepNotice(notice),
    );
  }

  async deleteNoticesEndedBefore(accountId: string, before: Date): Promise<number> {
    let deleted = 0;
    for (const { Key: key } of await this.#objects.list(sweepNoticesPrefixOf(accountId))) {
      const text = key === undefined ? null : await this.#objects.get(key);
      if (key === undefined || text === null) continue;
      const { endedAt } = parseSweepNotice(text);
      if (endedAt !== null && Date.parse(endedAt) < before.getTime()) {
        await this.#objects.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  async loadProgress(accountId: string, markId: string): Promise<SweepProgress | null> {
    const text = await this.#objects.get(sweepProgressKeyOf(accountId, markId));
    return text === null ? null : (JSON.parse(text) as SweepProgress);
  }

  async saveProgress(accountId: string, markId: string, progress: SweepProgress): Promise<void> {
    await this.#objects.put(sweepProgressKeyOf(accountId, markId), JSON.stringify(progress));
  }

  async deleteProgress(accountId: string, markId: string): Promise<void> {
    await this.#objects.delete(sweepProgressKeyOf(accountId, markId));
  }
}
