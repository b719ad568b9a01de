import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { CHUNK_ENCODING_METADATA, chunksPrefixOf } from '../../blueprint/facts.ts';
import { AgentFailure } from '../errors.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import type { ChunkEncoding } from './chunk-worker-protocol.ts';
import type { ChunkPage, ImageStore, StoredChunk } from './image-store.ts';

export interface S3StoreConfig {
  readonly bucket: string;
  readonly region: string;
  /** Unset in AWS; s3rver's URL locally. */
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  /** Unset: the SDK's default chain (instance role, environment). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Per request, including the body; a stalled store fails after this. */
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  /** Sockets per store host: at least the pipeline's concurrency. */
  readonly maxSockets?: number;
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * An S3 client tuned for 4 MiB chunk traffic. Two SDK defaults halve the upload rate (FINDINGS.md):
 * `Expect: 100-continue` on bodies over 2 MB makes the SDK open a fresh connection per chunk, and
 * SigV4 hashes every body again with SHA-256. The payload is sent unsigned instead: TLS protects
 * it on the wire (a checksum computed from the same buffer would protect nothing more, and CRC32
 * cost more CPU than BLAKE3 here), and every chunk is verified against its BLAKE3 content address
 * on restore. Checksums are computed only when required (s3rver stores streamed bodies with their
 * chunk framing otherwise). Use an https endpoint outside a single machine.
 */
export function createImageS3Client(config: S3StoreConfig): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: config.maxSockets ?? 32 };
  const clientConfig: S3ClientConfig = {
    region: config.region,
    forcePathStyle: config.forcePathStyle ?? false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    expectContinueHeader: false,
    maxAttempts: config.maxAttempts ?? 3,
    requestHandler: {
      requestTimeout: config.requestTimeoutMs ?? 30_000,
      // Without it a stalled request only logs a warning and the upload hangs for good.
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(config.requestTimeoutMs ?? 30_000, 5_000),
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
  const client = new S3Client(clientConfig);
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { method?: string; headers?: Record<string, string> };
      if (request.method === 'PUT' && request.headers) {
        request.headers['x-amz-content-sha256'] = UNSIGNED_PAYLOAD;
      }
      return next(args);
    },
    { step: 'build', name: 'unsignedChunkPayload', priority: 'low' },
  );
  return client;
}

function isNotFound(error: unknown): boolean {
  const named = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    named.name === 'NoSuchKey' ||
    named.name === 'NotFound' ||
    named.$metadata?.httpStatusCode === 404
  );
}

function unavailable(action: string, key: string, error: unknown): AgentFailure {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AgentFailure(AGENT_ERRORS.StoreUnavailable, `${action} ${key} failed: ${detail}`, {
    cause: error,
  });
}

async function readBody(body: unknown): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body as AsyncIterable<Uint8Array>) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

export class S3ImageStore implements ImageStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  async chunkSize(key: string): Promise<number | null> {
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: key }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable('HEAD', key, error);
    }
  }

  async listChunks(accountId: string, next?: string): Promise<ChunkPage> {
    const prefix = chunksPrefixOf(accountId);
    try {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: prefix,
          ...(next ? { ContinuationToken: next } : {}),
        }),
      );
      return {
        chunks: (page.Contents ?? []).map((object) => ({
          hash: (object.Key ?? '').slice(prefix.length),
          size: object.Size ?? 0,
        })),
        ...(page.IsTruncated && page.NextContinuationToken
          ? { next: page.NextContinuationToken }
          : {}),
      };
    } catch (error) {
      throw unavailable('LIST', prefix, error);
    }
  }

  async putChunk(key: string, body: Uint8Array, meta: { encoding: ChunkEncoding }): Promise<void> {
    await this.#put(key, body, {
      ContentLength: body.byteLength,
      ContentType: 'application/octet-stream',
      Metadata: { [CHUNK_ENCODING_METADATA]: meta.encoding },
    });
  }

  /** One PUT; any failure is the store being unavailable for that key. */
  async #put(
    key: string,
    body: Uint8Array | string,
    headers: Pick<PutObjectCommandInput, 'ContentLength' | 'ContentType' | 'Metadata'>,
  ): Promise<void> {
    try {
      await this.#client.send(
        new PutObjectCommand({ ...headers, Bucket: this.#bucket, Key: key, Body: body }),
      );
    } catch (error) {
      throw unavailable('PUT', key, error);
    }
  }

  async getChunk(key: string): Promise<StoredChunk | null> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
      );
      const body = await readBody(object.Body);
      const encoding = object.Metadata?.[CHUNK_ENCODING_METADATA] === 'zstd' ? 'zstd' : 'raw';
      return { body, encoding };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable('GET', key, error);
    }
  }

  async putManifest(key: string, text: string): Promise<void> {
    await this.#put(key, text, { ContentType: 'application/json' });
  }

  async getManifest(key: string): Promise<string | null> {
    return this.getText(key);
  }

  async getText(key: string): Promise<string | null> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
      );
      return (await readBody(object.Body)).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable('GET', key, error);
    }
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: prefix,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw unavailable('LIST', prefix, error);
    }
    return keys;
  }
}
