import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSnapshotRepository } from '../../../../adapters/aws/dynamo-snapshot-repository.ts';
import {
  ConcurrentModificationError,
  InvalidCursorError,
} from '../../../../core/shared/persistence-errors.ts';
import {
  markSnapshotDeleted,
  markSnapshotRecovered,
  markSnapshotRecycled,
  type Snapshot,
  startCapture,
} from '../../../../core/snapshots/snapshot.ts';
import { anAvailableSnapshot, aSnapshot } from '../../../support/records.ts';
import { snapshotItem } from '../../../support/table-items.ts';
import { aMockedTable, conditionFailed, cursorSigner, TABLE } from './dynamo-test-support.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const SLICE_ID = 'slc_01JNZ5Y1Q0000000000000000S';

function aSnapshotNumbered(n = 1): Snapshot {
  return aSnapshot({
    id: `snp_01JNZ5Y1Q00000000000000${String(n).padStart(2, '0')}A`,
    sliceId: SLICE_ID,
  });
}

describe('DynamoSnapshotRepository', () => {
  const mocked = aMockedTable();
  const snapshots = new DynamoSnapshotRepository({ ...mocked.table, cursorSigner });

  it('creates with a conditional put, keyed by account and indexed under its slice', async () => {
    mocked.mock.on(PutCommand).resolves({});
    const snapshot = aSnapshotNumbered();

    await snapshots.create(snapshot);

    expect(mocked.mock.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: snapshotItem(snapshot),
    });
  });

  it('takes a deleted snapshot out of its slice’s index', async () => {
    mocked.mock.on(UpdateCommand).resolves({});
    const deleting = { ...aSnapshotNumbered(), status: 'deleting' as const };

    await snapshots.update(deleting, markSnapshotDeleted(deleting, T0));

    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe(
      '#status = :expectedStatus AND (attribute_not_exists(#readers) OR size(#readers) = :noReaders) AND ' +
        '(attribute_not_exists(#protected) OR #protected = :expectedProtected)',
    );
    expect(input?.ExpressionAttributeValues?.[':expectedStatus']).toBe('deleting');
    expect(Object.values(input?.ExpressionAttributeNames ?? {})).toEqual(
      expect.arrayContaining(['gsi1pk', 'gsi1sk']),
    );
    expect(input?.UpdateExpression).toMatch(/REMOVE #u\d+, #u\d+$/);
  });

  it('expects the readers exactly as read while an operation reads the image', async () => {
    mocked.mock.on(UpdateCommand).resolves({});
    const reader = {
      operationId: 'op_1',
      operationType: 'slice.restore' as const,
      sliceId: SLICE_ID,
      until: '2099-01-01T00:00:00.000Z',
    };
    const read = { ...aSnapshotNumbered(), status: 'available' as const, readers: [reader] };

    await snapshots.update(read, { ...read, name: 'renamed' });

    const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe(
      '#status = :expectedStatus AND #readers = :expectedReaders',
    );
    expect(input?.ExpressionAttributeValues?.[':expectedReaders']).toEqual([reader]);
  });

  it('turns a lost race into ConcurrentModificationError', async () => {
    mocked.mock.on(UpdateCommand).rejects(conditionFailed());
    const snapshot = aSnapshotNumbered();

    await expect(snapshots.update(snapshot, startCapture(snapshot, T0))).rejects.toBeInstanceOf(
      ConcurrentModificationError,
    );
  });

  it('strips the table’s attributes from what it reads', async () => {
    const snapshot = aSnapshotNumbered();
    mocked.mock
      .on(GetCommand)
      .resolves({ Item: { ...snapshotItem(snapshot), gsi1pk: 'x', gsi1sk: 'y' } });

    expect(await snapshots.get('acct-1', snapshot.id)).toEqual(snapshot);
  });

  it('lists a slice’s snapshots on gsi1, newest first, with the region as a filter', async () => {
    const items = [3, 2, 1].map((n) => snapshotItem(aSnapshotNumbered(n)));
    mocked.mock.on(QueryCommand).resolves({ Items: items });

    const first = await snapshots.list(
      'acct-1',
      { sliceId: SLICE_ID, region: 'fra1' },
      { limit: 2 },
    );
    await snapshots.list(
      'acct-1',
      { sliceId: SLICE_ID, region: 'fra1' },
      { limit: 2, cursor: first.nextCursor },
    );

    const [firstCall, secondCall] = mocked.mock.commandCalls(QueryCommand);
    expect(firstCall?.args[0].input).toMatchObject({
      IndexName: 'gsi1',
      KeyConditionExpression: '#gsi1pk = :gsi1pk',
      FilterExpression: '#status <> :deleted AND #status <> :recycled AND #region = :region',
      ExpressionAttributeValues: {
        ':gsi1pk': `ACCOUNT#acct-1#SLICE#${SLICE_ID}#SNAPSHOTS`,
        ':region': 'fra1',
        ':deleted': 'deleted',
        ':recycled': 'recycled',
      },
      ScanIndexForward: false,
      Limit: 3,
    });
    expect(secondCall?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'ACCOUNT#acct-1',
      sk: `SNAPSHOT#${items[1]?.id}`,
      gsi1pk: `ACCOUNT#acct-1#SLICE#${SLICE_ID}#SNAPSHOTS`,
      gsi1sk: items[1]?.id,
    });
  });

  it('follows DynamoDB’s pages while a filter leaves the page short', async () => {
    const a = snapshotItem(aSnapshotNumbered(3));
    const b = snapshotItem(aSnapshotNumbered(2));
    const c = snapshotItem(aSnapshotNumbered(1));
    mocked.mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [a], LastEvaluatedKey: { pk: 'ACCOUNT#acct-1', sk: 'SNAPSHOT#x' } })
      .resolvesOnce({ Items: [b, c] });

    const page = await snapshots.list('acct-1', { region: 'fra1' }, { limit: 2 });

    const calls = mocked.mock.commandCalls(QueryCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'ACCOUNT#acct-1', ':prefix': 'SNAPSHOT#' },
    });
    expect(calls[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'ACCOUNT#acct-1',
      sk: 'SNAPSHOT#x',
    });
    expect(page.items.map((snapshot) => snapshot.id)).toEqual([a.id, b.id]);
    expect(page.nextCursor).not.toBeNull();
  });

  it('refuses a cursor issued for another filter before reading anything', async () => {
    mocked.mock
      .on(QueryCommand)
      .resolves({ Items: [1, 2].map((n) => snapshotItem(aSnapshotNumbered(n))) });
    const { nextCursor } = await snapshots.list('acct-1', {}, { limit: 1 });
    mocked.mock.resetHistory();

    const attempt = snapshots.list('acct-1', { region: 'nyc1' }, { limit: 1, cursor: nextCursor });

    await expect(attempt).rejects.toBeInstanceOf(InvalidCursorError);
    expect(mocked.mock.calls()).toHaveLength(0);
  });

  describe('the recycle bin', () => {
    const PURGE_AT = '2025-03-09T10:00:00.000Z';

    const anAvailable = () => anAvailableSnapshot();

    const recycledOf = (snapshot: Snapshot) =>
      markSnapshotRecycled(snapshot, {
        now: '2025-03-02T10:00:00.000Z',
        purgeAt: PURGE_AT,
        operationId: 'op_1',
      });

    it('indexes a recycled snapshot on gsi2 by purge time, account and id', async () => {
      mocked.mock.on(UpdateCommand).resolves({});
      const available = anAvailable();

      await snapshots.update(available, recycledOf(available));

      const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
      const names = input?.ExpressionAttributeNames ?? {};
      const values = input?.ExpressionAttributeValues ?? {};
      const setTo = (field: string) => {
        const name = Object.keys(names).find((key) => names[key] === field);
        return values[`:${name?.slice(1)}`];
      };
      expect(setTo('gsi2pk')).toBe('SNAPSHOTS#RECYCLED');
      expect(setTo('gsi2sk')).toBe(`${PURGE_AT}#acct-1#${available.id}`);
    });

    it("moves a recovered snapshot from the bin's partition of the index to the available ones'", async () => {
      mocked.mock.on(UpdateCommand).resolves({});
      const recycled = recycledOf(anAvailable());
      const recovered = markSnapshotRecovered(recycled, PURGE_AT);

      await snapshots.update(recycled, recovered);

      const input = mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input;
      const values = Object.values(input?.ExpressionAttributeValues ?? {});
      expect(input?.UpdateExpression).not.toContain('REMOVE');
      expect(values).toContain('SNAPSHOTS#AVAILABLE');
      expect(values).toContain(`${recovered.createdAt}#${recovered.accountId}#${recovered.id}`);
      expect(values).not.toContain('SNAPSHOTS#RECYCLED');
    });

    it('lists the bin of one account by filtering its partition on the status', async () => {
      mocked.mock.on(QueryCommand).resolves({ Items: [] });

      await snapshots.list('acct-1', { status: 'recycled' }, { limit: 10 });

      expect(mocked.mock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status = :status',
        ExpressionAttributeValues: { ':status': 'recycled', ':pk': 'ACCOUNT#acct-1' },
      });
    });

    it('reads the expired ones from the index, oldest first, resuming after the last one seen', async () => {
      const recycled = recycledOf(anAvailable());
      const recovered = { ...snapshotItem(recycled), status: 'available' };
      mocked.mock
        .on(QueryCommand)
        .resolvesOnce({ Items: [snapshotItem(recycled), recovered] })
        .resolves({ Items: [] });

      const first = await snapshots.listExpired('2025-03-10T00:00:00.000Z', 2);
      await snapshots.listExpired('2025-03-10T00:00:00.000Z', 2, recycled);

      expect(first.map((each) => each.id)).toEqual([recycled.id]);
      const [firstCall, secondCall] = mocked.mock.commandCalls(QueryCommand);
      expect(firstCall?.args[0].input).toMatchObject({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :beyond',
        ExpressionAttributeValues: {
          ':pk': 'SNAPSHOTS#RECYCLED',
          ':beyond': '2025-03-10T00:00:00.000Z$',
        },
        ScanIndexForward: true,
        Limit: 2,
      });
      expect(secondCall?.args[0].input.ExclusiveStartKey).toEqual({
        pk: 'ACCOUNT#acct-1',
        sk: `SNAPSHOT#${recycled.id}`,
        gsi2pk: 'SNAPSHOTS#RECYCLED',
        gsi2sk: `${PURGE_AT}#acct-1#${recycled.id}`,
      });
    });
  });
});
