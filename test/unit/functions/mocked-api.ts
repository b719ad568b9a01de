import { basename } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import type { OperationType } from '../../../core/operations/operation-type.ts';
import type { ApiHandler } from './api-request.ts';
import { lambdaContext } from './lambda-context.ts';
import { SLICE_KEY, setServiceEnvironment, stateMachineArn, TABLE } from './stored-records.ts';

/**
 * The clients an API handler reaches, mocked for the enclosing `describe`, and the handler loaded
 * once its environment is set. Mocks are reset and the clock pinned at `now` before each test (a
 * test's own `beforeEach` adds its answers after that), both undone after.
 */
export function mockedApi(entry: string, now: string) {
  const mocks = {
    documents: mockClient(DynamoDBDocumentClient),
    /** Nothing calls it: the handlers' events go out through the outbox, with their writes. */
    events: mockClient(EventBridgeClient),
    sfn: mockClient(SFNClient),
    scheduler: mockClient(SchedulerClient),
  };
  let loaded: ApiHandler | undefined;
  beforeAll(async () => {
    setServiceEnvironment();
    ({ handler: loaded } = (await import(`../../../${entry}`)) as { handler: ApiHandler });
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
    for (const mock of Object.values(mocks)) mock.reset();
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    for (const mock of Object.values(mocks)) mock.restore();
  });
  const functionName = basename(entry, '.ts');
  const { documents, sfn } = mocks;
  return {
    ...mocks,
    handler: (event: Parameters<ApiHandler>[0], context = lambdaContext(functionName)) => {
      if (!loaded) throw new Error(`${entry} is not loaded yet`);
      return loaded(event, context);
    },
    /** The table holds `items` and nothing else, as {@link tableHolds} says. */
    tableHolds: (...items: Record<string, unknown>[]) => tableHolds(documents, ...items),
    /** The inputs of the updates of the record at `key`, in the order they were sent. */
    updatesOf: (key: { sk: string }) => updatesOfRecord(documents, key),
    /**
     * The one update of the record at `key`, which the test checks was the only one and went to
     * the table.
     */
    onlyUpdateOf: (key: { pk: string; sk: string }) => {
      const updates = updatesOfRecord(documents, key);
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({ TableName: TABLE, Key: key });
      return updates[0]!;
    },
    /** Checks that a refused request neither wrote a record nor started a workflow. */
    expectNothingWrittenOrStarted: () => {
      expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
      expect(documents.commandCalls(PutCommand)).toHaveLength(0);
      expect(sfn.calls()).toHaveLength(0);
    },
  };
}

/**
 * The table holds `items` (as the single table stores them, keyed by `pk` and `sk`) and nothing
 * else: a get of one of their keys finds it, any other get finds nothing.
 */
export function tableHolds(
  documents: AwsClientStub<DynamoDBDocumentClient>,
  ...items: Record<string, unknown>[]
): void {
  documents.on(GetCommand).resolves({});
  for (const item of items) {
    documents.on(GetCommand, { Key: { pk: item.pk, sk: item.sk } }).resolves({ Item: item });
  }
}

/** Checks that the slice lock was taken in one conditional write on an active, unheld slice. */
export function expectSliceLockTaken(
  documents: AwsClientStub<DynamoDBDocumentClient>,
  operationId: string,
  operationType: OperationType,
): void {
  const [lock] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
  expect(lock).toMatchObject({
    TableName: TABLE,
    Key: SLICE_KEY,
    ConditionExpression: '#status = :active AND attribute_not_exists(#lockOperationId)',
    ExpressionAttributeValues: { ':operationId': operationId, ':operationType': operationType },
  });
}

/** Checks that one workflow started: `workflow`'s state machine, named after the operation. */
export function expectOneWorkflowStart(
  sfn: AwsClientStub<SFNClient>,
  workflow: string,
  input: { operationId: string } & Record<string, unknown>,
): void {
  const starts = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
  expect(starts).toHaveLength(1);
  expect(starts[0]).toMatchObject({
    stateMachineArn: stateMachineArn(workflow),
    name: input.operationId,
  });
  expect(JSON.parse(starts[0]?.input ?? '{}')).toEqual(input);
}

/** Lets every workflow start succeed, as Step Functions answers a new execution. */
export function acceptWorkflowStarts(sfn: AwsClientStub<SFNClient>): void {
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
}

/** The inputs of the updates of the record at `key`, in the order they were sent. */
function updatesOfRecord(documents: AwsClientStub<DynamoDBDocumentClient>, key: { sk: string }) {
  return documents
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Key?.sk === key.sk);
}
