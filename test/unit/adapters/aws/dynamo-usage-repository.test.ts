import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoUsageRepository } from '../../../../adapters/aws/dynamo-usage-repository.ts';
import { billingPartitionOf } from '../../../../core/billing/partitions.ts';
import { aMockedTable, conditionFailed, TABLE } from './dynamo-test-support.ts';

const ACCOUNT = 'acct-1';
const PARTITION = String(billingPartitionOf(ACCOUNT)).padStart(2, '0');
const SNAPSHOT = 'snp_01JNZ5Y1Q0000000000000000A';

describe('DynamoUsageRepository', () => {
  const mocked = aMockedTable();
  const usage = new DynamoUsageRepository(mocked.table);

  it('starts with a conditional put, indexed by account and end, and in the open bucket', async () => {
    mocked.mock.on(PutCommand).resolves({});

    await usage.start({
      accountId: ACCOUNT,
      snapshotId: SNAPSHOT,
      name: 'nightly',
      sizeBytes: 4096,
      from: '2026-03-02T10:00:00.000Z',
      to: null,
    });

    expect(mocked.mock.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: 'ACCOUNT#acct-1',
        sk: `USAGE#${SNAPSHOT}`,
        recordKind: 'usage',
        accountId: ACCOUNT,
        snapshotId: SNAPSHOT,
        name: 'nightly',
        sizeBytes: 4096,
        from: '2026-03-02T10:00:00.000Z',
        gsi1pk: 'ACCOUNT#acct-1#USAGE',
        gsi1sk: `OPEN#${SNAPSHOT}`,
        gsi2pk: `USAGE#OPEN#${PARTITION}`,
        gsi2sk: `acct-1#${SNAPSHOT}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it("stops the snapshot's open period with one conditional update into the bucket of its end month, a refusal meaning stopped", async () => {
    const open = {
      pk: 'ACCOUNT#acct-1',
      sk: `USAGE#${SNAPSHOT}#2026-03-10T00:00:00.000Z`,
      from: '2026-03-10T00:00:00.000Z',
    };
    mocked.mock.on(QueryCommand).resolves({ Items: [open] });
    mocked.mock.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

    await usage.stop(ACCOUNT, SNAPSHOT, '2026-03-16T12:00:00Z');

    expect(mocked.mock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_not_exists(#to) AND #from <= :to',
      ExpressionAttributeValues: {
        ':pk': 'ACCOUNT#acct-1',
        ':prefix': `USAGE#${SNAPSHOT}`,
        ':to': '2026-03-16T12:00:00.000Z',
      },
      ConsistentRead: true,
    });
    expect(mocked.mock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: open.pk, sk: open.sk },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#to)',
      ExpressionAttributeValues: {
        ':to': '2026-03-16T12:00:00.000Z',
        ':gsi1sk': `2026-03-16T12:00:00.000Z#${SNAPSHOT}`,
        ':gsi2pk': `USAGE#2026-03#${PARTITION}`,
      },
    });
  });

  it('resumes with a conditional put of a period keyed by its start', async () => {
    mocked.mock.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});

    await usage.resume({
      accountId: ACCOUNT,
      snapshotId: SNAPSHOT,
      name: 'nightly',
      sizeBytes: 4096,
      from: '2026-03-20T08:00:00Z',
      to: null,
    });

    expect(mocked.mock.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: {
        pk: 'ACCOUNT#acct-1',
        sk: `USAGE#${SNAPSHOT}#2026-03-20T08:00:00.000Z`,
        from: '2026-03-20T08:00:00.000Z',
        gsi1sk: `OPEN#${SNAPSHOT}`,
        gsi2pk: `USAGE#OPEN#${PARTITION}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('reads a partition from the open bucket and the buckets of the month to the current one', async () => {
    mocked.mock.on(QueryCommand).resolves({ Items: [] });

    await usage.forPartition(5, '2026-01', '2026-03');

    const partitions = mocked.mock
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':pk']);
    expect(partitions).toEqual([
      'USAGE#OPEN#05',
      'USAGE#2026-01#05',
      'USAGE#2026-02#05',
      'USAGE#2026-03#05',
    ]);
  });

  it("reads an account's month from its index from the month's start on, following pages", async () => {
    mocked.mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { pk: 'x' } })
      .resolves({ Items: [] });

    await usage.forAccount(ACCOUNT, '2026-03');

    const calls = mocked.mock.commandCalls(QueryCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :start',
      ExpressionAttributeValues: {
        ':pk': 'ACCOUNT#acct-1#USAGE',
        ':start': '2026-03-01T00:00:00.000Z',
        ':end': '2026-04-01T00:00:00.000Z',
      },
    });
    expect(calls[1]?.args[0].input.ExclusiveStartKey).toEqual({ pk: 'x' });
  });
});
