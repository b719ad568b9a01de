import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSliceRepository } from '../../../../adapters/aws/dynamo-slice-repository.ts';
import {
  ConcurrentModificationError,
  RecordAlreadyExistsError,
} from '../../../../core/shared/persistence-errors.ts';
import { lockSlice, type Slice } from '../../../../core/slices/slice.ts';
import { SliceBusyError, SliceNotFoundError } from '../../../../core/slices/slice-errors.ts';
import { aSlice } from '../../../support/records.ts';
import { sliceItem } from '../../../support/table-items.ts';
import { aMockedTable, conditionFailed, cursorSigner, TABLE } from './dynamo-test-support.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const SLICE_ID = 'slc_01JNZ5Y1Q0000000000000000A';
const OP = 'op_01JNZ5Y1Q0000000000000000B';
/** The slice and moment of the lock requests below. */
const LOCK = { accountId: 'acct-1', sliceId: SLICE_ID, now: T0 };
const KEY = { pk: 'ACCOUNT#acct-1', sk: `SLICE#${SLICE_ID}` };

const active: Slice = aSlice({ id: SLICE_ID });
const busy = lockSlice(active, { operationId: OP, operationType: 'snapshot.create' }, T0);
const busyItem = sliceItem(busy);

describe('DynamoSliceRepository', () => {
  const mocked = aMockedTable();
  const slices = new DynamoSliceRepository({ ...mocked.table, cursorSigner });

  it('creates with a conditional put keyed by account, the lock flattened', async () => {
    mocked.mock.on(PutCommand).resolves({});

    await slices.create(busy);

    const [call] = mocked.mock.commandCalls(PutCommand);
    expect(call?.args[0].input).toEqual({
      TableName: TABLE,
      Item: busyItem,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('turns a failed create condition into RecordAlreadyExistsError', async () => {
    mocked.mock.on(PutCommand).rejects(conditionFailed());

    await expect(slices.create(active)).rejects.toBeInstanceOf(RecordAlreadyExistsError);
  });

  it('reads consistently by account key and rebuilds the lock', async () => {
    mocked.mock.on(GetCommand).resolves({ Item: busyItem });

    const slice = await slices.get('acct-1', SLICE_ID);

    expect(slice).toEqual(busy);
    expect(mocked.mock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      ConsistentRead: true,
    });
  });

  it('updates only what changed, expecting the status and the absence of a holder', async () => {
    mocked.mock.on(UpdateCommand).resolves({});

    await slices.update(active, {
      ...active,
      usedBytes: 99,
      updatedAt: '2025-03-02T00:00:00.000Z',
    });

    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: KEY,
      ConditionExpression: '#status = :expectedStatus AND attribute_not_exists(#lockOperationId)',
      ExpressionAttributeValues: {
        ':expectedStatus': 'active',
        ':u0': 99,
        ':u1': '2025-03-02T00:00:00.000Z',
      },
      ExpressionAttributeNames: {
        '#status': 'status',
        '#lockOperationId': 'lockOperationId',
        '#u0': 'usedBytes',
        '#u1': 'updatedAt',
      },
      UpdateExpression: 'SET #u0 = :u0, #u1 = :u1',
    });
  });

  it('expects the holder when the slice is busy and removes the lock when it is cleared', async () => {
    mocked.mock.on(UpdateCommand).resolves({});

    await slices.update(busy, { ...busy, status: 'active', lock: null });

    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    // A status change is decided on the delete protection as read.
    expect(input?.ConditionExpression).toBe(
      '#status = :expectedStatus AND #lockOperationId = :expectedHolder AND ' +
        '(attribute_not_exists(#deleteProtected) OR #deleteProtected = :expectedDeleteProtected)',
    );
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':expectedStatus': 'busy',
      ':expectedHolder': OP,
      ':expectedDeleteProtected': false,
    });
    expect(input?.UpdateExpression).toBe('SET #u0 = :u0 REMOVE #u1, #u2, #u3');
  });

  it('turns a failed update condition into ConcurrentModificationError', async () => {
    mocked.mock.on(UpdateCommand).rejects(conditionFailed());

    await expect(slices.update(active, { ...active, name: 'x' })).rejects.toBeInstanceOf(
      ConcurrentModificationError,
    );
  });

  it('takes the lock in one conditional write that copies the power state', async () => {
    mocked.mock.on(UpdateCommand).resolves({ Attributes: busyItem });

    const locked = await slices.acquireLock({
      ...LOCK,
      operationId: OP,
      operationType: 'snapshot.create',
    });

    expect(locked).toEqual(busy);
    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: KEY,
      ConditionExpression: '#status = :active AND attribute_not_exists(#lockOperationId)',
      ReturnValues: 'ALL_NEW',
    });
    expect(input?.UpdateExpression).toContain('#lockPower = #power');
    expect(input?.ExpressionAttributeValues).toMatchObject({ ':operationId': OP, ':busy': 'busy' });
  });

  it('explains a refused lock from a fresh read: busy with another operation', async () => {
    mocked.mock.on(UpdateCommand).rejects(conditionFailed());
    mocked.mock.on(GetCommand).resolves({ Item: busyItem });

    const attempt = slices.acquireLock({
      ...LOCK,
      operationId: 'op_01JNZ5Y1Q0000000000000000C',
      operationType: 'slice.power',
    });

    await expect(attempt).rejects.toBeInstanceOf(SliceBusyError);
    expect(mocked.mock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('explains a refused lock from a fresh read: no such slice', async () => {
    mocked.mock.on(UpdateCommand).rejects(conditionFailed());
    mocked.mock.on(GetCommand).resolves({});

    const attempt = slices.acquireLock({ ...LOCK, operationId: OP, operationType: 'slice.power' });

    await expect(attempt).rejects.toBeInstanceOf(SliceNotFoundError);
  });

  it('releases only under the holder and removes the lock attributes', async () => {
    mocked.mock.on(UpdateCommand).resolves({ Attributes: { ...active, ...KEY } });

    const released = await slices.releaseLock({ ...LOCK, operationId: OP });

    expect(released).toEqual(active);
    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('#status = :busy AND #lockOperationId = :operationId');
    expect(input?.UpdateExpression).toBe(
      'SET #status = :active, #updatedAt = :now REMOVE #lockOperationId, #lockOperationType, #lockPower',
    );
  });

  it('lists with a newest-first Query on the account partition, resuming after the cursor', async () => {
    const items = [3, 2, 1].map((n) => ({
      ...active,
      ...KEY,
      id: `slc_01JNZ5Y1Q000000000000000${n}A`,
    }));
    mocked.mock.on(QueryCommand).resolves({ Items: items });

    const first = await slices.list('acct-1', {}, { limit: 2 });
    await slices.list('acct-1', {}, { limit: 2, cursor: first.nextCursor });

    const [firstCall, secondCall] = mocked.mock.commandCalls(QueryCommand);
    expect(firstCall?.args[0].input).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status <> :deleted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': 'ACCOUNT#acct-1',
        ':prefix': 'SLICE#',
        ':deleted': 'deleted',
      },
      ConsistentRead: true,
      ScanIndexForward: false,
      Limit: 3,
      ExclusiveStartKey: undefined,
    });
    expect(first.items.map((slice) => slice.id)).toEqual([items[0]?.id, items[1]?.id]);
    expect(secondCall?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'ACCOUNT#acct-1',
      sk: `SLICE#${items[1]?.id}`,
    });
  });
});
