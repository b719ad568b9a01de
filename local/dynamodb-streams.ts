/**
 * The few DynamoDB Streams calls the stream relay makes, over the service's JSON protocol against
 * DynamoDB Local (which serves Streams on its own endpoint and checks no signature), so the local
 * cloud needs no Streams SDK package.
 */

/** A stream record as GetRecords answers it (NEW_IMAGE view). */
export interface StreamRecord {
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly dynamodb?: {
    readonly SequenceNumber?: string;
    readonly ApproximateCreationDateTime?: number;
    readonly NewImage?: Record<string, { S?: string; N?: string }>;
  };
}

/** One shard of a stream. */
export interface StreamShard {
  readonly ShardId: string;
  readonly ParentShardId?: string;
  readonly SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

/** Where GetShardIterator starts reading a shard. */
export type ShardStart =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** A streams error, named as the service names it (e.g. `ExpiredIteratorException`). */
export class StreamsServiceError extends Error {
  override readonly name: string;
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/** The most records one GetRecords answers (the service's own limit). */
export const RECORDS_PER_READ = 1000;

/** A DynamoDB Streams client for one endpoint. */
export class LocalDynamoDbStreams {
  readonly #endpoint: string;

  constructor(endpoint: string) {
    this.#endpoint = endpoint;
  }

  async #call<T>(action: string, body: unknown): Promise<T> {
    const response = await fetch(this.#endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDBStreams_20120810.${action}`,
        // DynamoDB Local wants a SigV4-shaped header and verifies nothing in it.
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, ' +
          'SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!response.ok) {
      const type =
        String(parsed.__type ?? 'StreamsError')
          .split('#')
          .pop() ?? 'StreamsError';
      throw new StreamsServiceError(type, String(parsed.message ?? parsed.Message ?? text));
    }
    return parsed as T;
  }

  /** Every shard of the stream, following DescribeStream's pages. */
  async shards(streamArn: string): Promise<StreamShard[]> {
    const shards: StreamShard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription: description } = await this.#call<{
        StreamDescription: { Shards?: StreamShard[]; LastEvaluatedShardId?: string };
      }>('DescribeStream', {
        StreamArn: streamArn,
        ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
      });
      shards.push(...(description.Shards ?? []));
      exclusiveStartShardId = description.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  /** An iterator on the shard from `start`. */
  async iterator(streamArn: string, shardId: string, start: ShardStart): Promise<string | null> {
    const { ShardIterator: iterator } = await this.#call<{ ShardIterator?: string }>(
      'GetShardIterator',
      {
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: start.type,
        ...(start.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: start.sequenceNumber } : {}),
      },
    );
    return iterator ?? null;
  }

  /** The records at the iterator and the next one (null once the shard is closed and read). */
  async records(iterator: string): Promise<{ records: StreamRecord[]; next: string | null }> {
    const answer = await this.#call<{ Records?: StreamRecord[]; NextShardIterator?: string }>(
      'GetRecords',
      { ShardIterator: iterator, Limit: RECORDS_PER_READ },
    );
    return { records: answer.Records ?? [], next: answer.NextShardIterator ?? null };
  }
}
