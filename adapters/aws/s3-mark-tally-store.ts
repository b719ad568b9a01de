import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { markTalliesPrefixOf, markTallyKeyOf } from '../../blueprint/facts.ts';
import type { MarkTallyStore } from '../../core/ports/mark-tally-store.ts';
import type { ChunkTallyState } from '../../core/storage/chunk-tally.ts';

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

/** MarkTallyStore in the images bucket: one JSON object per pass, `<account>/marks/<mark>.json`. */
export class S3MarkTallyStore implements MarkTallyStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  async save(accountId: string, markId: string, tally: ChunkTallyState): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: markTallyKeyOf(accountId, markId),
        Body: JSON.stringify(tally),
        ContentType: 'application/json',
      }),
    );
  }

  async load(accountId: string, markId: string): Promise<ChunkTallyState | null> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: markTallyKeyOf(accountId, markId) }),
      );
      return JSON.parse((await object.Body?.transformToString('utf8')) ?? '') as ChunkTallyState;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(accountId: string, markId: string): Promise<void> {
    await this.#client.send(
      new DeleteObjectCommand({ Bucket: this.#bucket, Key: markTallyKeyOf(accountId, markId) }),
    );
  }

  async deleteWrittenBefore(accountId: string, before: Date): Promise<number> {
    const stale: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: markTalliesPrefixOf(accountId),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && (object.LastModified?.getTime() ?? 0) < before.getTime()) {
          stale.push(object.Key);
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const key of stale) {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
    }
    return stale.length;
  }
}
