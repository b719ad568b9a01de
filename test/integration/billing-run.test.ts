import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoUsageRepository } from '../../adapters/aws/dynamo-usage-repository.ts';
import { EVENT } from '../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import { startBilling } from '../../core/use-cases/start-billing.ts';
import { stopBilling } from '../../core/use-cases/stop-billing.ts';
import { ENV, FUNCTIONS, SCHEDULES } from '../../infra/catalog.ts';
import {
  type EventBridgeEndpoint,
  readEventLog,
  startEventBridge,
} from '../../local/eventbridge/index.ts';
import { openLocalIdentity } from '../../local/gateway/identity.ts';
import { type LocalGateway, startGateway } from '../../local/gateway/server.ts';
import { createLocalLambdas } from '../../local/lambdas.ts';
import { freePort } from '../../local/net.ts';
import { startScheduler, type Timers } from '../../local/scheduler/index.ts';
import { localDocumentClient } from '../contract/dynamo-document-client.ts';
import {
  aBillingAccount,
  anAvailableSnapshot,
  deletionRequested,
} from '../support/billing-fixtures.ts';

const BUS = 'slice-snapshots';
/** The daily run on the 1st: it closes the month just ended. */
const RUN_AT = '2026-04-01T00:15:00.000Z';

/** Scheduler time under the test's control. */
function manualTimers(start: string): Timers & { now(): Date; advanceTo(iso: string): void } {
  let time = Date.parse(start);
  const timers = new Map<number, { at: number; callback: () => void }>();
  let ids = 0;
  return {
    now: () => new Date(time),
    setTimeout(callback, ms) {
      ids += 1;
      timers.set(ids, { at: time + ms, callback });
      return ids;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advanceTo(iso) {
      const target = Date.parse(iso);
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, timer]) => timer.at <= target)
          .sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        timers.delete(due[0]);
        time = Math.max(time, due[1].at);
        due[1].callback();
      }
      time = target;
    },
  };
}

let dataDir: string;
let eventBridge: EventBridgeEndpoint;
let gateway: LocalGateway;
let mintToken: (account: string) => Promise<string>;
const lambdas = createLocalLambdas(FUNCTIONS);
const client = localDocumentClient(inject('dynamoEndpoint'));
const alice = aBillingAccount();
const bob = aBillingAccount();
const carol = aBillingAccount();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'billing-run-'));
  eventBridge = await startEventBridge({
    port: await freePort(),
    dataDir: join(dataDir, 'eventbridge'),
    region: 'us-east-1',
    accountId: '000000000000',
    buses: [BUS],
    invokeLambda: async () => undefined,
    startExecution: async () => undefined,
  });
  // The handlers find the emulators the way they do everywhere: the SDK's standard variables.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
    [ENV.tableName]: inject('tableName'),
    [ENV.eventBusName]: BUS,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const identity = await openLocalIdentity(join(dataDir, 'auth', 'key.json'));
  mintToken = (account) => identity.mintToken({ account });
  gateway = await startGateway({ port: await freePort(), functions: FUNCTIONS, lambdas, identity });
  // The handlers' Clock is the system clock: pin it where the scheduler fires.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(RUN_AT) });
});

afterAll(async () => {
  vi.useRealTimers();
  await gateway?.close();
  await eventBridge?.close();
  client.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

async function charges(account: string, month: string) {
  const response = await fetch(`${gateway.url}/v1/billing/charges?month=${month}`, {
    headers: { authorization: `Bearer ${await mintToken(account)}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function chargeEventsOf(accounts: readonly string[]) {
  return readEventLog(join(dataDir, 'eventbridge'))
    .map((entry) => entry.event)
    .filter((event) => event['detail-type'] === EVENT.monthlyChargesComputed)
    .filter((event) => accounts.includes(event.detail.accountId as string));
}

describe('the scheduled billing run', () => {
  it('charges each account once per run through the local schedule, and a re-run changes nothing', async () => {
    const usage = new DynamoUsageRepository({ client, tableName: inject('tableName') });
    const kept = anAvailableSnapshot({ accountId: alice, completedAt: '2026-02-10T08:00:00.000Z' });
    const deleted = anAvailableSnapshot({
      accountId: alice,
      completedAt: '2026-03-01T00:00:00.000Z',
    });
    const bobs = anAvailableSnapshot({
      accountId: bob,
      completedAt: '2026-03-16T00:00:00.000Z',
      sizeBytes: 10 * BYTES_PER_GIB,
    });
    for (const snapshot of [kept, deleted, bobs]) await startBilling({ usage }, snapshot);
    await stopBilling({ usage }, deletionRequested(deleted, '2026-03-16T12:00:00.000Z'));
    const timers = manualTimers('2026-03-31T23:00:00.000Z');
    const runs: Promise<unknown>[] = [];
    const scheduler = startScheduler({
      schedules: SCHEDULES.map((schedule) => ({
        name: schedule.name,
        expression: schedule.expression,
        invoke: async () => {
          runs.push(lambdas.invoke(schedule.target, schedule.input ?? {}));
          await runs.at(-1);
        },
      })),
      now: timers.now,
      timers,
    });

    timers.advanceTo(RUN_AT);
    scheduler.close();
    const firstRun = await runs[0];
    const afterFirst = await charges(alice, '2026-03');
    const firstEvents = chargeEventsOf([alice, bob, carol]);
    const secondRun = await lambdas.invoke('billing-run', SCHEDULES[0]?.input ?? {});
    const afterSecond = await charges(alice, '2026-03');
    const allEvents = chargeEventsOf([alice, bob, carol]);
    const carols = await charges(carol, '2026-03');
    const future = await charges(alice, '2026-05');

    expect(runs).toHaveLength(1);
    expect(firstRun).toMatchObject({ month: '2026-03', status: 'final', monthFinal: true });
    expect(secondRun).toMatchObject({ month: '2026-03', status: 'final', monthFinal: true });
    expect(afterFirst).toEqual({
      status: 200,
      body: {
        month: '2026-03',
        status: 'final',
        currency: 'USD',
        ratePerGBMonth: '0.05',
        lines: [
          {
            snapshotId: kept.id,
            name: 'nightly',
            sizeGB: 40,
            from: '2026-03-01T00:00:00.000Z',
            to: '2026-04-01T00:00:00.000Z',
            amount: '2.00',
          },
          {
            snapshotId: deleted.id,
            name: 'nightly',
            sizeGB: 40,
            from: '2026-03-01T00:00:00.000Z',
            to: '2026-03-16T12:00:00.000Z',
            amount: '1.00',
          },
        ],
        total: '3.00',
      },
    });
    expect(afterSecond).toEqual(afterFirst);
    const detailsOf = (events: typeof allEvents) =>
      events
        .map((event) => [event.detail.accountId, event.detail.total, event.detail.status])
        .sort();
    expect(detailsOf(firstEvents)).toEqual(
      [
        [alice, '3.00', 'final'],
        [bob, '0.26', 'final'],
      ].sort(),
    );
    expect(detailsOf(allEvents.slice(firstEvents.length))).toEqual(detailsOf(firstEvents));
    expect(carols).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'final', lines: [], total: '0.00' }),
    });
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({ errors: [{ path: 'query.month' }] });
  });
});
