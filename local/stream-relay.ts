import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { OUTBOX_PARTITION_PREFIX } from '../blueprint/facts.ts';
import { localDynamoClient } from './dynamodb.ts';
import {
  LocalDynamoDbStreams,
  RECORDS_PER_READ,
  type ShardStart,
  type StreamRecord,
  type StreamShard,
} from './dynamodb-streams.ts';

/** What the relay reads, where it puts the events, and where it keeps its place. */
export interface StreamRelayOptions {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly eventBridgeEndpoint: string;
  readonly eventBusName: string;
  readonly region: string;
  /** Where each shard's last relayed sequence number is kept; without it, in memory only. */
  readonly positionFile?: string;
  /**
   * Where to begin in the shards that have no position when the relay starts: the oldest record
   * (`TRIM_HORIZON`, the default, so nothing written before the start is missed) or the newest.
   */
  readonly startAt?: 'TRIM_HORIZON' | 'LATEST';
  /** How long to wait between reads of an idle stream. */
  readonly pollMilliseconds?: number;
  log?(line: string): void;
}

/** A running relay. */
export interface StreamRelay {
  /**
   * Resolves once the relay has put on the bus every outbox event written to the table before the
   * call: a read of every shard that began after the call has reached each shard's end. Rejects
   * when the relay closes first.
   */
  caughtUp(): Promise<void>;
  /** Stops reading, after the read under way; positions are saved as they advance. */
  close(): Promise<void>;
}

interface Positions {
  streamArn: string;
  /** Per shard: the last sequence number relayed (or read past), and whether the shard ended. */
  shards: Record<string, { sequenceNumber?: string; closed?: boolean }>;
}

const PUT_EVENTS_BATCH = 10;
/** Shards are listed again this often: a stream opens new ones over time. */
const SHARD_REFRESH_MS = 2_000;
const ERROR_BACKOFF_MS = 1_000;

/** The outbox item in a stream record, as an EventBridge entry: null for any other record. */
export function outboxEntry(
  record: StreamRecord,
  eventBusName: string,
): PutEventsRequestEntry | null {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image?.pk?.S?.startsWith(OUTBOX_PARTITION_PREFIX)) {
    return null;
  }
  const source = image.source?.S;
  const detailType = image.detailType?.S;
  const detail = image.detail?.S;
  if (!source || !detailType || !detail) return null;
  return { EventBusName: eventBusName, Source: source, DetailType: detailType, Detail: detail };
}

function readPositions(file: string | undefined): Positions | null {
  if (!file) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Positions;
  } catch {
    return null;
  }
}

function writePositions(file: string | undefined, positions: Positions): void {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(positions));
  renameSync(`${file}.tmp`, file);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The local counterpart of DynamoDB Streams + EventBridge Pipes: reads the table's stream and puts
 * each new outbox item's event on the bus, at least once (a shard's position advances only after
 * PutEvents accepted its events, and is kept in `positionFile` across restarts). Consumers drop a
 * repeat by the detail's `eventId`.
 */
export async function startStreamRelay(options: StreamRelayOptions): Promise<StreamRelay> {
  const log = options.log ?? (() => undefined);
  const pollMs = options.pollMilliseconds ?? 50;
  const dynamo = localDynamoClient(options.dynamoEndpoint);
  const streams = new LocalDynamoDbStreams(options.dynamoEndpoint);
  const bus = new EventBridgeClient({
    endpoint: options.eventBridgeEndpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Table: table } = await dynamo.send(
    new DescribeTableCommand({ TableName: options.tableName }),
  );
  dynamo.destroy();
  const streamArn = table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream to relay`);

  const saved = readPositions(options.positionFile);
  const positions: Positions = saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
  const iterators = new Map<string, string>();
  let shards: StreamShard[] = [];
  let shardsListedAt = 0;

  // Shards present now begin at `startAt` unless a position says otherwise; any shard found
  // later began after the relay did, so it is read from its first record.
  const startOf = (shardId: string, initial: boolean): ShardStart => {
    const sequenceNumber = positions.shards[shardId]?.sequenceNumber;
    if (sequenceNumber) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber };
    return { type: initial ? (options.startAt ?? 'TRIM_HORIZON') : 'TRIM_HORIZON' };
  };
  shards = await streams.shards(streamArn);
  shardsListedAt = Date.now();
  for (const shard of shards) {
    if (positions.shards[shard.ShardId]?.closed) continue;
    const iterator = await streams.iterator(streamArn, shard.ShardId, startOf(shard.ShardId, true));
    if (iterator) iterators.set(shard.ShardId, iterator);
  }

  async function relay(entries: PutEventsRequestEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += PUT_EVENTS_BATCH) {
      const batch = entries.slice(start, start + PUT_EVENTS_BATCH);
      const answer = await bus.send(new PutEventsCommand({ Entries: batch }));
      if ((answer.FailedEntryCount ?? 0) > 0) {
        throw new Error(`the bus refused ${answer.FailedEntryCount} relayed event(s)`);
      }
    }
  }

  /**
   * Reads each open shard once; answers whether any record came, and whether every shard was read
   * to its end (a full answer may have left records behind it).
   */
  async function readOnce(listShards: boolean): Promise<{ read: boolean; toTheEnd: boolean }> {
    if (listShards || Date.now() - shardsListedAt > SHARD_REFRESH_MS) {
      shards = await streams.shards(streamArn as string);
      shardsListedAt = Date.now();
    }
    let read = false;
    let toTheEnd = true;
    for (const shard of shards) {
      const id = shard.ShardId;
      const position = positions.shards[id] ?? {};
      if (position.closed) continue;
      let iterator = iterators.get(id);
      if (!iterator) {
        iterator = (await streams.iterator(streamArn as string, id, startOf(id, false))) ?? '';
        if (!iterator) continue;
      }
      const { records, next } = await streams.records(iterator);
      const entries = records.flatMap((record) => {
        const entry = outboxEntry(record, options.eventBusName);
        return entry ? [entry] : [];
      });
      await relay(entries);
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      const advanced = {
        ...position,
        ...(last ? { sequenceNumber: last } : {}),
        ...(next ? {} : { closed: true }),
      };
      if (last || !next) {
        positions.shards[id] = advanced;
        writePositions(options.positionFile, positions);
      }
      if (next) iterators.set(id, next);
      else iterators.delete(id);
      read ||= records.length > 0;
      toTheEnd &&= records.length < RECORDS_PER_READ;
    }
    return { read, toTheEnd };
  }

  /** Callers of caughtUp, each served by the first read to every shard's end begun after it. */
  let waiting: PromiseWithResolvers<void>[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const covered = waiting;
      waiting = [];
      try {
        const { read, toTheEnd } = await readOnce(covered.length > 0);
        if (toTheEnd) for (const waiter of covered) waiter.resolve();
        else waiting.push(...covered);
        if (!read) await sleep(pollMs);
      } catch (error) {
        waiting.push(...covered);
        // An expired iterator or an unreachable bus: start again from the saved positions.
        iterators.clear();
        shardsListedAt = 0;
        log(`stream relay: ${error instanceof Error ? error.message : String(error)}; retrying`);
        await sleep(ERROR_BACKOFF_MS);
      }
    }
  })();

  return {
    caughtUp: () => {
      const waiter = Promise.withResolvers<void>();
      if (running) waiting.push(waiter);
      else waiter.reject(new Error('the stream relay is closed'));
      return waiter.promise;
    },
    close: async () => {
      running = false;
      await loop;
      for (const waiter of waiting) waiter.reject(new Error('the stream relay closed'));
      waiting = [];
      bus.destroy();
    },
  };
}
