import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type EventBridgeEndpoint,
  type EventBridgeOptions,
  type EventLogEntry,
  readEventLog,
  startEventBridge,
} from '../../local/eventbridge/index.ts';
import { tempDirPerTest } from '../support/temp-dir.ts';

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';
const BUS = 'slice-snapshots';
const SNAPSHOT_EVENTS = JSON.stringify({
  source: ['slice-snapshots'],
  'detail-type': ['Snapshot Available'],
});

/** A webhook receiver standing in for a user's HTTPS endpoint. */
interface Receiver {
  url: string;
  requests: Array<{ contentType: string | undefined; body: unknown }>;
}

let receiverServer: Server;
let receiver: Receiver;
const dataDir = tempDirPerTest('local-eventbridge-');
let endpoint: EventBridgeEndpoint | undefined;
let client: EventBridgeClient;
const invokeLambda = vi.fn<EventBridgeOptions['invokeLambda']>(async () => undefined);
const startExecution = vi.fn<EventBridgeOptions['startExecution']>(async () => undefined);

async function start(extra: Partial<EventBridgeOptions> = {}): Promise<EventBridgeEndpoint> {
  endpoint = await startEventBridge({
    port: 0,
    dataDir: dataDir.path,
    region: REGION,
    accountId: ACCOUNT,
    buses: [BUS],
    invokeLambda,
    startExecution,
    webhook: { attempts: 3, timeoutMs: 2_000, backoffMs: 20 },
    ...extra,
  });
  client = new EventBridgeClient({
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return endpoint;
}

/** An entry of a Snapshot Available event on the bus, without its detail. */
const SNAPSHOT_AVAILABLE = {
  EventBusName: BUS,
  Source: 'slice-snapshots',
  DetailType: 'Snapshot Available',
} as const;

async function putEvent(entry: Partial<PutEventsRequestEntry> = {}): Promise<string> {
  const Detail = JSON.stringify({ accountId: 'acc_1', snapshotId: 'snp_01' });
  const answer = await client.send(
    new PutEventsCommand({ Entries: [{ ...SNAPSHOT_AVAILABLE, Detail, ...entry }] }),
  );
  expect(answer.FailedEntryCount).toBe(0);
  const id = answer.Entries?.[0]?.EventId;
  if (!id) throw new Error('PutEvents answered no EventId');
  return id;
}

/** The log line of an event, once its deliveries have settled. */
async function logEntryOf(eventId: string): Promise<EventLogEntry> {
  const find = (): EventLogEntry | undefined =>
    readEventLog(dataDir.path).find((entry) => entry.event.id === eventId);
  await expect.poll(find, { timeout: 10_000, interval: 20 }).toBeDefined();
  const found = find();
  if (!found) throw new Error(`event ${eventId} is not in the log`);
  return found;
}

/** A rule of the bus matching `pattern`, with `targets`. */
async function ruleOnSnapshotEvents(
  name: string,
  targets: readonly Target[],
  pattern = SNAPSHOT_EVENTS,
): Promise<void> {
  await client.send(new PutRuleCommand({ Name: name, EventBusName: BUS, EventPattern: pattern }));
  await client.send(
    new PutTargetsCommand({ Rule: name, EventBusName: BUS, Targets: [...targets] }),
  );
}

async function addWebhookRule(name: string, pattern = SNAPSHOT_EVENTS): Promise<void> {
  await ruleOnSnapshotEvents(name, [{ Id: 'webhook', Arn: receiver.url }], pattern);
}

beforeAll(async () => {
  receiver = { url: '', requests: [] };
  receiverServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      receiver.requests.push({
        contentType: request.headers['content-type'],
        body: JSON.parse(body),
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiverServer.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/hooks/snapshots`;
});

afterAll(async () => {
  receiverServer.closeAllConnections();
  await new Promise((resolve) => receiverServer.close(resolve));
});

beforeEach(async () => {
  receiver.requests.length = 0;
  invokeLambda.mockClear();
  startExecution.mockClear();
  await start();
});

afterEach(async () => {
  client.destroy();
  await endpoint?.close();
  endpoint = undefined;
});

describe('local EventBridge endpoint', () => {
  it('delivers a matching event to a webhook rule added with the SDK', async () => {
    await addWebhookRule('to-my-webhook');

    const eventId = await putEvent({ Resources: ['snp_01'] });
    const entry = await logEntryOf(eventId);

    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.contentType).toBe('application/json');
    expect(receiver.requests[0]?.body).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'Snapshot Available',
      source: 'slice-snapshots',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: REGION,
      resources: ['snp_01'],
      detail: { accountId: 'acc_1', snapshotId: 'snp_01' },
    });
    expect(entry).toMatchObject({
      bus: BUS,
      matchedRules: ['to-my-webhook'],
      deliveries: [
        { rule: 'to-my-webhook', targetId: 'webhook', status: 'delivered', httpStatus: 200 },
      ],
    });
  });

  it('keeps the Time an entry gives, to the second', async () => {
    const eventId = await putEvent({ Time: new Date('2026-01-31T12:00:00.750Z') });

    const entry = await logEntryOf(eventId);

    expect(entry.event.time).toBe('2026-01-31T12:00:00Z');
  });

  it('does not deliver an event the pattern does not match, but still logs it', async () => {
    await addWebhookRule('to-my-webhook');

    const eventId = await putEvent({ DetailType: 'Snapshot Failed' });
    const entry = await logEntryOf(eventId);

    expect(entry.matchedRules).toEqual([]);
    expect(entry.deliveries).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('does not deliver to a disabled rule', async () => {
    await addWebhookRule('to-my-webhook');
    await client.send(new DisableRuleCommand({ Name: 'to-my-webhook', EventBusName: BUS }));

    const entry = await logEntryOf(await putEvent());

    expect(entry.matchedRules).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('keeps rules and targets across a restart', async () => {
    await addWebhookRule('to-my-webhook');
    client.destroy();
    await endpoint?.close();

    await start();
    const rules = await client.send(new ListRulesCommand({ EventBusName: BUS }));
    const targets = await client.send(
      new ListTargetsByRuleCommand({ Rule: 'to-my-webhook', EventBusName: BUS }),
    );
    await logEntryOf(await putEvent());

    expect(rules.Rules?.map((rule) => [rule.Name, rule.EventPattern, rule.State])).toEqual([
      ['to-my-webhook', SNAPSHOT_EVENTS, 'ENABLED'],
    ]);
    expect(targets.Targets).toEqual([{ Id: 'webhook', Arn: receiver.url }]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('refuses an invalid event pattern with InvalidEventPatternException', async () => {
    const attempt = client.send(
      new PutRuleCommand({
        Name: 'broken',
        EventBusName: BUS,
        EventPattern: JSON.stringify({ detail: { sizeBytes: [{ numeric: ['<', 5, '>', 1] }] } }),
      }),
    );

    await expect(attempt).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringMatching(/^Event pattern is not valid\. Reason: /),
      $metadata: { httpStatusCode: 400 },
    });
    const rules = await client.send(new ListRulesCommand({ EventBusName: BUS }));
    expect(rules.Rules).toEqual([]);
  });

  it('delivers to a Lambda target, with the part InputPath selects', async () => {
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:on-snapshot-event`;
    await ruleOnSnapshotEvents('to-lambda', [
      { Id: 'whole', Arn: arn },
      { Id: 'detail', Arn: arn, InputPath: '$.detail' },
    ]);

    const eventId = await putEvent();
    const entry = await logEntryOf(eventId);

    expect(invokeLambda).toHaveBeenCalledTimes(2);
    expect(invokeLambda).toHaveBeenCalledWith(
      'on-snapshot-event',
      expect.objectContaining({ id: eventId, 'detail-type': 'Snapshot Available' }),
    );
    expect(invokeLambda).toHaveBeenCalledWith('on-snapshot-event', {
      accountId: 'acc_1',
      snapshotId: 'snp_01',
    });
    expect(entry.deliveries.map((delivery) => delivery.status)).toEqual(['delivered', 'delivered']);
  });

  it('starts a state machine target with the event as input', async () => {
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:echo`;
    await ruleOnSnapshotEvents('to-sfn', [{ Id: 'sfn', Arn: arn }]);

    const eventId = await putEvent();
    await logEntryOf(eventId);

    expect(startExecution).toHaveBeenCalledTimes(1);
    expect(JSON.parse(startExecution.mock.calls[0]?.[1] ?? '{}')).toMatchObject({ id: eventId });
  });

  it('logs a webhook that keeps failing and stays up', async () => {
    const log = vi.fn();
    client.destroy();
    await endpoint?.close();
    await start({ log, webhook: { attempts: 2, timeoutMs: 200, backoffMs: 10 } });
    await ruleOnSnapshotEvents('dead', [
      { Id: 'nobody', Arn: 'http://127.0.0.1:9/nobody-listens' },
    ]);

    const entry = await logEntryOf(await putEvent());
    const after = await client.send(new ListRulesCommand({ EventBusName: BUS }));

    expect(entry.deliveries).toMatchObject([{ status: 'failed', attempts: 2 }]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/failed after 2 attempt/));
    expect(after.Rules).toHaveLength(1);
  });

  it('delivers to rules given at start-up', async () => {
    client.destroy();
    await endpoint?.close();
    await start({
      rules: [
        {
          name: 'builtin-billing',
          bus: BUS,
          eventPattern: { 'detail-type': ['Snapshot Available'] },
          targets: [
            { id: 'fn', arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:billing-on-event` },
          ],
        },
      ],
    });

    await logEntryOf(await putEvent());

    expect(invokeLambda).toHaveBeenCalledWith('billing-on-event', expect.any(Object));
  });

  it('describes, lists by prefix and deletes rules like AWS', async () => {
    await addWebhookRule('snapshots-to-webhook');
    await client.send(
      new PutRuleCommand({ Name: 'other', EventBusName: BUS, EventPattern: SNAPSHOT_EVENTS }),
    );

    const described = await client.send(
      new DescribeRuleCommand({ Name: 'snapshots-to-webhook', EventBusName: BUS }),
    );
    const listed = await client.send(
      new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'snap' }),
    );
    const refused = client.send(
      new DeleteRuleCommand({ Name: 'snapshots-to-webhook', EventBusName: BUS }),
    );
    await expect(refused).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    await client.send(
      new RemoveTargetsCommand({
        Rule: 'snapshots-to-webhook',
        EventBusName: BUS,
        Ids: ['webhook'],
      }),
    );
    await client.send(new DeleteRuleCommand({ Name: 'snapshots-to-webhook', EventBusName: BUS }));
    const missing = client.send(
      new DescribeRuleCommand({ Name: 'snapshots-to-webhook', EventBusName: BUS }),
    );

    expect(described).toMatchObject({
      Name: 'snapshots-to-webhook',
      Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${BUS}/snapshots-to-webhook`,
      EventPattern: SNAPSHOT_EVENTS,
      State: 'ENABLED',
      EventBusName: BUS,
    });
    expect(listed.Rules?.map((rule) => rule.Name)).toEqual(['snapshots-to-webhook']);
    await expect(missing).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Rule snapshots-to-webhook does not exist on EventBus ${BUS}.`,
    });
  });

  it('answers ResourceNotFoundException for an unknown bus', async () => {
    const attempt = client.send(
      new PutRuleCommand({ Name: 'r', EventBusName: 'nope', EventPattern: SNAPSHOT_EVENTS }),
    );

    await expect(attempt).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('validates PutEvents entries one by one, and the batch size as a whole', async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          { ...SNAPSHOT_AVAILABLE, Detail: '{}' },
          SNAPSHOT_AVAILABLE,
          { EventBusName: BUS, Source: 'slice-snapshots', DetailType: 'X', Detail: '[1]' },
          { EventBusName: 'nope', Source: 'slice-snapshots', DetailType: 'X', Detail: '{}' },
        ],
      }),
    );
    const tooMany = client.send(
      new PutEventsCommand({
        Entries: Array.from({ length: 11 }, () => ({
          Source: 'slice-snapshots',
          DetailType: 'X',
          Detail: '{}',
        })),
      }),
    );

    expect(answer.FailedEntryCount).toBe(3);
    expect(answer.Entries?.[0]?.EventId).toBeTruthy();
    expect(answer.Entries?.slice(1).map((entry) => entry.ErrorCode)).toEqual([
      'InvalidArgument',
      'MalformedDetail',
      'ResourceNotFoundException',
    ]);
    await expect(tooMany).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('is reached through AWS_ENDPOINT_URL_EVENTBRIDGE by a client given no endpoint', async () => {
    await addWebhookRule('to-my-webhook');
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', endpoint?.url ?? '');
    const plain = new EventBridgeClient({
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    try {
      const answer = await plain.send(
        new PutEventsCommand({
          Entries: [{ ...SNAPSHOT_AVAILABLE, Detail: '{"snapshotId":"snp_02"}' }],
        }),
      );
      await logEntryOf(answer.Entries?.[0]?.EventId ?? '');
    } finally {
      plain.destroy();
      vi.unstubAllEnvs();
    }

    expect(receiver.requests.map((request) => request.body)).toMatchObject([
      { detail: { snapshotId: 'snp_02' } },
    ]);
  });
});
