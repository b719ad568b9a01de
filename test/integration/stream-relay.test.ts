import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { eventIdOf } from '../../adapters/aws/event-ids.ts';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { type DomainEvent, EVENT } from '../../core/events/event-types.ts';
import { succeedOperation } from '../../core/operations/operation.ts';
import {
  type EventBridgeEndpoint,
  readEventLog,
  startEventBridge,
} from '../../local/eventbridge/index.ts';
import { type StreamRelayOptions, startStreamRelay } from '../../local/stream-relay.ts';
import { localDocumentClient } from '../contract/dynamo-document-client.ts';
import { anAccountId, anOperation } from '../support/records.ts';
import { tempDirPerFile } from '../support/temp-dir.ts';

const BUS = 'slice-snapshots';
const REGION = 'us-east-1';

describe('the stream relay', () => {
  const client = localDocumentClient(inject('dynamoEndpoint'));
  const tableName = inject('tableName');
  const operations = new DynamoOperationRepository({
    client,
    tableName,
    cursorSigner: new HmacSigner('stream-relay-test-cursor-key-0123456789ab'),
  });
  const workDir = tempDirPerFile('stream-relay-');
  let eventsDir: string;
  let bus: EventBridgeEndpoint;
  let relayOptions: StreamRelayOptions;

  beforeAll(async () => {
    eventsDir = join(workDir.path, 'eventbridge');
    bus = await startEventBridge({
      port: 0,
      dataDir: eventsDir,
      region: REGION,
      accountId: '000000000000',
      buses: [BUS],
      invokeLambda: async () => undefined,
      startExecution: async () => undefined,
    });
    relayOptions = {
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName,
      eventBridgeEndpoint: bus.url,
      eventBusName: BUS,
      region: REGION,
      positionFile: join(workDir.path, 'positions.json'),
      startAt: 'LATEST',
    };
  });

  afterAll(async () => {
    await bus.close();
    client.destroy();
  });

  function relayed(eventId: string) {
    return readEventLog(eventsDir).filter((entry) => entry.event.detail.eventId === eventId);
  }

  async function until<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Writes an operation's success with its event; answers the event and when it was written. */
  async function writeWithEvent(): Promise<{ event: DomainEvent; eventId: string; at: number }> {
    const accountId = anAccountId();
    const operation = anOperation({ accountId });
    await operations.create(operation);
    const event: DomainEvent = {
      detailType: EVENT.sliceCreated,
      detail: { accountId, sliceId: 'slc_1', operationId: operation.id, name: 'web' },
    };
    const at = Date.now();
    await operations.update(operation, succeedOperation(operation, new Date().toISOString()), {
      events: [event],
    });
    return { event, eventId: eventIdOf(event), at };
  }

  it('puts each outbox event on the bus once, as written, and nothing else', async () => {
    const relay = await startStreamRelay(relayOptions);
    try {
      const { event, eventId } = await writeWithEvent();

      await relay.caughtUp();
      await bus.settled();
      const [entry] = relayed(eventId);

      expect(relayed(eventId)).toHaveLength(1);
      expect(entry?.bus).toBe(BUS);
      expect(entry?.event.source).toBe('slice-snapshots');
      expect(entry?.event['detail-type']).toBe('Slice Created');
      expect(entry?.event.detail).toEqual({ ...event.detail, eventId });
      // Operations written without events put nothing on the bus.
      expect(
        readEventLog(eventsDir).every((each) => typeof each.event.detail.eventId === 'string'),
      ).toBe(true);
    } finally {
      await relay.close();
    }
  });

  it('keeps its place across a restart: what was written while it was down goes out once', async () => {
    const first = await startStreamRelay(relayOptions);
    const before = await writeWithEvent();
    await first.caughtUp();
    await first.close();

    const during = await writeWithEvent();
    const second = await startStreamRelay(relayOptions);
    try {
      await second.caughtUp();
      await bus.settled();

      expect(relayed(before.eventId)).toHaveLength(1);
      expect(relayed(during.eventId)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('ignores items that are not outbox items, even under an outbox-looking attribute', async () => {
    const relay = await startStreamRelay(relayOptions);
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: 'ACCOUNT#x', sk: 'NOTE#1', detailType: 'Slice Created', detail: '{}' },
        }),
      );
      const { eventId } = await writeWithEvent();
      await relay.caughtUp();
      await bus.settled();

      expect(relayed(eventId)).toHaveLength(1);
      expect(
        readEventLog(eventsDir).some((entry) => entry.event.detail.eventId === undefined),
      ).toBe(false);
    } finally {
      await relay.close();
    }
  });

  it('says it has caught up only once what was written before is on the bus, and refuses once closed', async () => {
    const relay = await startStreamRelay(relayOptions);
    const written = await Promise.all(Array.from({ length: 5 }, () => writeWithEvent()));

    await relay.caughtUp();
    await bus.settled();
    const counts = written.map(({ eventId }) => relayed(eventId).length);
    await relay.close();

    expect(counts).toEqual([1, 1, 1, 1, 1]);
    await expect(relay.caughtUp()).rejects.toThrow(/closed/);
  });

  it('relays an event within half a second of its write (median of 20)', async () => {
    const relay = await startStreamRelay(relayOptions);
    try {
      const latencies: number[] = [];
      for (let index = 0; index < 20; index += 1) {
        const { eventId, at } = await writeWithEvent();
        const entry = await until(() => relayed(eventId)[0]);
        latencies.push(Date.parse(entry.receivedAt) - at);
      }
      latencies.sort((a, b) => a - b);
      const median = latencies[10] ?? Number.POSITIVE_INFINITY;
      process.stdout.write(`stream relay latency ms: ${latencies.join(' ')}\n`);

      expect(median).toBeLessThan(500);
    } finally {
      await relay.close();
    }
  });
});
