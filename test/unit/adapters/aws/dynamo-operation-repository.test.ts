import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoOperationRepository } from '../../../../adapters/aws/dynamo-operation-repository.ts';
import { eventIdOf } from '../../../../adapters/aws/event-ids.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { succeedOperation } from '../../../../core/operations/operation.ts';
import { anOperation, T0 } from '../../../support/records.ts';
import { aMockedTable, cursorSigner, TABLE } from './dynamo-test-support.ts';

const operation = anOperation({
  id: 'op_01JNZ5Y1Q0000000000000000A',
  type: 'slice.create',
  resourceId: 'slc_01JNZ5Y1Q0000000000000000S',
});
const KEY = { pk: 'ACCOUNT#acct-1', sk: `OPERATION#${operation.id}` };

describe('DynamoOperationRepository', () => {
  const mocked = aMockedTable();
  const operations = new DynamoOperationRepository({ ...mocked.table, cursorSigner });

  const RUNNING_INDEX_KEY = {
    gsi2pk: 'OPERATIONS#RUNNING',
    gsi2sk: `${operation.startedAt}#acct-1#${operation.id}`,
  };

  it('writes a change and its events in one transaction, each event a conditional put', async () => {
    mocked.mock.on(TransactWriteCommand).resolves({});
    const event = {
      detailType: EVENT.sliceCreated,
      detail: { accountId: 'acct-1', sliceId: 'slc_1', operationId: operation.id },
    };
    const eventId = eventIdOf(event);

    await operations.update(operation, succeedOperation(operation, T0), { events: [event] });

    const items = mocked.mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(mocked.mock.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(items?.[0]?.Update).toMatchObject({
      TableName: TABLE,
      Key: KEY,
      ConditionExpression: '#status = :expectedStatus',
    });
    expect(items?.[1]?.Put).toMatchObject({
      TableName: TABLE,
      Item: {
        pk: `OUTBOX#${eventId}`,
        sk: 'EVENT',
        recordKind: 'outbox',
        eventId,
        source: 'slice-snapshots',
        detailType: 'Slice Created',
        detail: JSON.stringify({ ...event.detail, eventId }),
        expiration: expect.any(Number),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('creates with a conditional put and keeps the operation’s own `type` field', async () => {
    mocked.mock.on(PutCommand).resolves({});
    mocked.mock
      .on(GetCommand)
      .resolves({ Item: { ...operation, ...KEY, recordKind: 'operation' } });

    await operations.create(operation);
    const read = await operations.get('acct-1', operation.id);

    expect(mocked.mock.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...operation, ...KEY, recordKind: 'operation', ...RUNNING_INDEX_KEY },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(read).toEqual(operation);
  });

  it('finishes an operation only if it is still running', async () => {
    mocked.mock.on(UpdateCommand).resolves({});

    await operations.update(operation, succeedOperation(operation, '2025-03-01T10:05:00.000Z'));

    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: KEY,
      ConditionExpression: '#status = :expectedStatus',
      ExpressionAttributeValues: { ':expectedStatus': 'running' },
    });
    expect(Object.values(input?.ExpressionAttributeNames ?? {})).toEqual(
      expect.arrayContaining(['status', 'finishedAt', 'updatedAt', 'gsi2pk', 'gsi2sk']),
    );
    // An operation that ends leaves the running-operations index.
    expect(input?.UpdateExpression).toMatch(/REMOVE #u\d+, #u\d+$/);
  });

  it('lists running operations from the sparse running-operations index, never the table', async () => {
    mocked.mock.on(QueryCommand).resolves({
      Items: [{ ...operation, ...KEY, recordKind: 'operation', ...RUNNING_INDEX_KEY }],
    });

    const running = await operations.listRunning('2025-03-01T10:05:00.000Z', 100);

    expect(running).toEqual([operation]);
    expect(mocked.mock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
      ExpressionAttributeValues: {
        ':pk': 'OPERATIONS#RUNNING',
        ':before': '2025-03-01T10:05:00.000Z',
      },
      Limit: 100,
    });
  });

  it('lists with a newest-first Query on the account partition', async () => {
    mocked.mock.on(QueryCommand).resolves({ Items: [] });

    const page = await operations.list('acct-1', { limit: 10 });

    expect(page).toEqual({ items: [], nextCursor: null });
    expect(mocked.mock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'ACCOUNT#acct-1', ':prefix': 'OPERATION#' },
      ScanIndexForward: false,
      Limit: 11,
    });
  });
});
