import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { usageKey } from '../../adapters/aws/dynamo-billing-keys.ts';
import { DynamoChargesRepository } from '../../adapters/aws/dynamo-charges-repository.ts';
import { DynamoUsageRepository } from '../../adapters/aws/dynamo-usage-repository.ts';
import { DEFAULT_REGIONS } from '../../blueprint/facts.ts';
import { ALL_BILLING_PARTITIONS, billingPartitionOf } from '../../core/billing/partitions.ts';
import { EVENT } from '../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import { startBilling } from '../../core/use-cases/start-billing.ts';
import { SCHEDULES } from '../../infra/catalog.ts';
import { LocalClock } from '../../local/clock.ts';
import { readEventLog } from '../../local/eventbridge/index.ts';
import { catalogSchedules, startScheduler } from '../../local/scheduler/index.ts';
import { localDocumentClient } from '../contract/dynamo-document-client.ts';
import { billMarch } from '../support/billed-march.ts';
import { anAccountId, anAvailableSnapshot } from '../support/records.ts';
import { startWorkflowCloud, type WorkflowCloud } from './support/workflow-cloud.ts';

/** The daily run on the 1st: it closes the month just ended. */
const RUN_AT = '2026-04-01T00:15:00.000Z';
const WORKFLOW = 'billing-run';
/** Where the cloud's clock starts: the evening before the run. */
const CLOCK_START = '2026-03-31T23:00:00.000Z';

/** Fresh accounts, each in a billing partition of its own. */
function accountsInDistinctPartitions(count: number): string[] {
  const byPartition = new Map<number, string>();
  while (byPartition.size < count) {
    const account = anAccountId();
    const partition = billingPartitionOf(account);
    if (!byPartition.has(partition)) byPartition.set(partition, account);
  }
  return [...byPartition.values()];
}

const client = localDocumentClient(inject('dynamoEndpoint'));
const table = { client, tableName: inject('tableName') };
const usage = new DynamoUsageRepository(table);
const storedCharges = new DynamoChargesRepository(table);
let cloud: WorkflowCloud;
let sfn: SFNClient;

beforeAll(async () => {
  cloud = await startWorkflowCloud({
    clock: LocalClock.startingAt(CLOCK_START),
    dynamoEndpoint: inject('dynamoEndpoint'),
    s3Endpoint: inject('s3Endpoint'),
    tableName: inject('tableName'),
    regions: DEFAULT_REGIONS,
    // The retries of a partition that stays incomplete wait a second, not minutes.
    adjustDefinition: (workflow, definition) =>
      workflow === WORKFLOW
        ? definition
            .replace('"IntervalSeconds": 30', '"IntervalSeconds": 1')
            .replace('"MaxDelaySeconds": 300', '"MaxDelaySeconds": 1')
        : definition,
  });
  sfn = new SFNClient({
    endpoint: cloud.stepFunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await cloud?.close();
  client.destroy();
});

async function charges(account: string, month: string) {
  const response = await fetch(`${cloud.api}/v1/billing/charges?month=${month}`, {
    headers: { authorization: `Bearer ${await cloud.token(account)}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `[account, total, status]` of every `Monthly Charges Computed` of these accounts, sorted. */
function chargeEventsOf(accounts: readonly string[]): string[][] {
  return readEventLog(cloud.eventsDir)
    .map((entry) => entry.event)
    .filter((event) => event['detail-type'] === EVENT.monthlyChargesComputed)
    .filter((event) => accounts.includes(event.detail.accountId as string))
    .map((event) => [
      event.detail.accountId as string,
      event.detail.total as string,
      event.detail.status as string,
    ])
    .sort();
}

/** chargeEventsOf once every event written so far is on the bus: a repeat would be there too. */
async function chargeEventsSent(accounts: readonly string[]): Promise<string[][]> {
  await cloud.eventsSettled();
  return chargeEventsOf(accounts);
}

async function billingExecutions(): Promise<string[]> {
  const { executions = [] } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: cloud.stateMachineArn(WORKFLOW) }),
  );
  return executions.flatMap((execution) => execution.executionArn ?? []);
}

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the state machine as an operator does by hand, and waits for it. */
async function runByHand(input: Record<string, unknown>) {
  const { executionArn = '' } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: cloud.stateMachineArn(WORKFLOW),
      input: JSON.stringify(input),
    }),
  );
  return { executionArn, execution: await finished(executionArn) };
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const { events = [] } = await sfn.send(
    new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
  );
  return events;
}

const countOf = (events: readonly HistoryEvent[], type: string) =>
  events.filter((event) => event.type === type).length;

/** Checks that a billing run succeeded, its output holding the members of `output`. */
function expectRunSucceeded(
  execution: DescribeExecutionCommandOutput,
  output: Record<string, unknown>,
): void {
  expect(execution.status).toBe('SUCCEEDED');
  expect(JSON.parse(execution.output ?? 'null')).toMatchObject(output);
}

describe('the billing-run workflow', () => {
  it('closes the month when the daily schedule starts it, one invocation per partition; a re-run changes no charge and tells no account again', async () => {
    const [alice = '', bob = '', dave = '', erin = ''] = accountsInDistinctPartitions(4);
    const carol = anAccountId();
    const { kept, deleted } = await billMarch({ usage }, alice, bob);
    const daves = anAvailableSnapshot({ accountId: dave, completedAt: '2026-01-01T00:00:00.000Z' });
    const erins = anAvailableSnapshot({ accountId: erin, completedAt: '2026-03-31T00:00:00.000Z' });
    for (const snapshot of [daves, erins]) await startBilling({ usage }, snapshot);
    const starts: Promise<unknown>[] = [];
    const scheduler = startScheduler({
      schedules: catalogSchedules(SCHEDULES, {
        invokeFunction: async (name) => {
          throw new Error(`no schedule of the catalog invokes ${name} itself`);
        },
        startWorkflow: (workflow, input) => {
          const started = sfn.send(
            new StartExecutionCommand({ stateMachineArn: cloud.stateMachineArn(workflow), input }),
          );
          starts.push(started);
          return started;
        },
      }),
      now: () => cloud.clock.now(),
      timers: cloud.clock,
    });
    const accounts = [alice, bob, carol, dave, erin];

    // A second past the run's time: the schedule's timer, armed on the clock as it ran on, may be
    // due a millisecond after RUN_AT, and the scheduler is closed at once.
    cloud.clock.advanceTo(new Date(Date.parse(RUN_AT) + 1_000));
    scheduler.close();
    await Promise.all(starts);
    const [scheduledArn = ''] = await billingExecutions();
    const scheduled = await finished(scheduledArn);
    const scheduledHistory = await history(scheduledArn);
    const afterFirst = await charges(alice, '2026-03');
    const firstEvents = await chargeEventsSent(accounts);
    const again = await runByHand(SCHEDULES[0]?.input ?? {});
    const againHistory = await history(again.executionArn);
    const afterSecond = await charges(alice, '2026-03');
    const carols = await charges(carol, '2026-03');
    const future = await runByHand({ month: '2026-05' });

    expect(starts).toHaveLength(1);
    expect(JSON.parse(scheduled.input ?? '')).toEqual({});
    expectRunSucceeded(scheduled, {
      month: '2026-03',
      status: 'final',
      partitions: ALL_BILLING_PARTITIONS,
      failedPartitions: [],
      monthFinal: true,
    });
    expect(countOf(scheduledHistory, 'MapIterationSucceeded')).toBe(ALL_BILLING_PARTITIONS.length);
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
    // Bob: 10 GiB for 16 of 31 days; Dave all month; Erin the last day (40 GiB: 2.00 / 31).
    expect(firstEvents).toEqual(
      [
        [alice, '3.00', 'final'],
        [bob, '0.26', 'final'],
        [dave, '2.00', 'final'],
        [erin, '0.06', 'final'],
      ].sort(),
    );
    expectRunSucceeded(again.execution, {
      month: '2026-03',
      status: 'final',
      partitions: ALL_BILLING_PARTITIONS,
      accounts: 4,
      unchanged: 4,
      total: '5.32',
      monthFinal: true,
    });
    expect(countOf(againHistory, 'MapIterationSucceeded')).toBe(ALL_BILLING_PARTITIONS.length);
    expect(afterSecond).toEqual(afterFirst);
    // One event per account charged, written with its charges: the re-run stored nothing new.
    expect(firstEvents).toHaveLength(4);
    expect(await chargeEventsSent(accounts)).toEqual(firstEvents);
    expect(carols).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'final', lines: [], total: '0.00' }),
    });
    expect(future.execution).toMatchObject({ status: 'FAILED', error: 'FutureBillingMonthError' });
    expect(future.execution.cause).toContain('2026-05 has not begun');
  });

  it('bills the other partitions when an account fails, fails naming its partition, and a run by hand completes the month', async () => {
    const [healthy = '', other = '', broken = ''] = accountsInDistinctPartitions(3);
    const brokenPartition = billingPartitionOf(broken);
    const snapshots = [healthy, other, broken].map((accountId) =>
      anAvailableSnapshot({ accountId, completedAt: '2026-01-20T00:00:00.000Z' }),
    );
    for (const snapshot of snapshots) await startBilling({ usage }, snapshot);
    const brokenSnapshot = snapshots[2]?.id ?? '';
    const setSize = (sizeBytes: number) =>
      client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: usageKey(broken, brokenSnapshot),
          UpdateExpression: 'SET sizeBytes = :size',
          ExpressionAttributeValues: { ':size': sizeBytes },
        }),
      );
    // Half a byte cannot be billed: charging this account throws, every time it is tried.
    await setSize(0.5);
    const accounts = [healthy, other, broken];

    const first = await runByHand({ month: '2026-02' });
    const firstHistory = await history(first.executionArn);
    const brokenBefore = await storedCharges.get(broken, '2026-02');
    const { partitionsDone } = await storedCharges.monthRun('2026-02');
    const eventsBefore = await chargeEventsSent(accounts);
    await setSize(40 * BYTES_PER_GIB);
    const second = await runByHand({ month: '2026-02' });

    expect(first.execution).toMatchObject({ status: 'FAILED', error: 'BillingRunIncomplete' });
    expect(first.execution.cause).toContain(`partition(s) ${brokenPartition} failed`);
    // The partition's first try and its three retries.
    expect(countOf(firstHistory, 'TaskFailed')).toBe(4);
    expect(countOf(firstHistory, 'MapIterationSucceeded')).toBe(ALL_BILLING_PARTITIONS.length);
    expect(partitionsDone).toEqual(ALL_BILLING_PARTITIONS.filter((p) => p !== brokenPartition));
    expect(brokenBefore).toBeNull();
    expect(eventsBefore).toEqual(
      [
        [healthy, '2.00', 'final'],
        [other, '2.00', 'final'],
      ].sort(),
    );
    expectRunSucceeded(second.execution, {
      month: '2026-02',
      partitions: ALL_BILLING_PARTITIONS,
      failedPartitions: [],
      monthFinal: true,
    });
    expect(await chargeEventsSent(accounts)).toEqual(
      [...eventsBefore, [broken, '2.00', 'final']].sort(),
    );
    expect((await charges(broken, '2026-02')).body).toMatchObject({
      status: 'final',
      total: '2.00',
    });
  });
});
