import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
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

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

/**
 * CollectionStore in the images bucket, under `<account>/collection/`: the condemned list and the
 * notices in the format agents read (agent/protocol/chunk-collection.ts), the progress as JSON.
 */
export class S3CollectionStore implements CollectionStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  async #get(key: string): Promise<string | null> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
      );
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async #put(key: string, body: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
      }),
    );
  }

  async #delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  async readCondemned(accountId: string): Promise<Map<string, string>> {
    const text = await this.#get(condemnedChunksKeyOf(accountId));
    return new Map(text === null ? [] : Object.entries(parseCondemnedList(text).chunks));
  }

  async writeCondemned(accountId: string, condemned: CondemnedChunks): Promise<void> {
    await this.#put(condemnedChunksKeyOf(accountId), serializeCondemnedList(condemned));
  }

  async readNotice(accountId: string, markId: string): Promise<SweepNotice | null> {
    const text = await this.#get(sweepNoticeKeyOf(accountId, markId));
    if (text === null) return null;
    const { format: _format, ...notice } = parseSweepNotice(text);
    return notice;
  }

  async writeNotice(accountId: string, notice: SweepNotice): Promise<void> {
    await this.#put(sweepNoticeKeyOf(accountId, notice.markId), serializeSweepNotice(notice));
  }

  async deleteNoticesEndedBefore(accountId: string, before: Date): Promise<number> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: sweepNoticesPrefixOf(accountId),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    let deleted = 0;
    for (const key of keys) {
      const text = await this.#get(key);
      if (text === null) continue;
      const { endedAt } = parseSweepNotice(text);
      if (endedAt !== null && Date.parse(endedAt) < before.getTime()) {
        await this.#delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  async loadProgress(accountId: string, markId: string): Promise<SweepProgress | null> {
    const text = await this.#get(sweepProgressKeyOf(accountId, markId));
    return text === null ? null : (JSON.parse(text) as SweepProgress);
  }

  async saveProgress(accountId: string, markId: string, progress: SweepProgress): Promise<void> {
    await this.#put(sweepProgressKeyOf(accountId, markId), JSON.stringify(progress));
  }

  async deleteProgress(accountId: string, markId: string): Promise<void> {
    await this.#delete(sweepProgressKeyOf(accountId, markId));
  }
}
