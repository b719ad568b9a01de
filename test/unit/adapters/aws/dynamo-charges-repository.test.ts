import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoChargesRepository } from '../../../../adapters/aws/dynamo-charges-repository.ts';
import { eventIdOf } from '../../../../adapters/aws/event-ids.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { StoredCharges } from '../../../../core/ports/charges-repository.ts';
import { aMockedTable, TABLE } from './dynamo-test-support.ts';

function lineOf(n: number) {
  return {
    snapshotId: `snp_01JNZ5Y1Q00000000000000${String(n).padStart(2, '0')}A`,
    name: 'nightly',
    sizeBytes: 1024,
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-04-01T00:00:00.000Z',
    byteSeconds: 2_739_609_600n,
    cents: 1n,
  };
}

const FINAL: StoredCharges = {
  accountId: 'acct-1',
  month: '2026-03',
  status: 'final',
  asOf: '2026-04-01T00:00:00.000Z',
  totalCents: 3n,
  lineCount: 3,
  lines: [lineOf(1), lineOf(2), lineOf(3)],
  computedAt: '2026-04-01T00:15:00.000Z',
};

const GUARD = {
  ConditionCheck: {
    TableName: TABLE,
    Key: { pk: 'ACCOUNT#acct-1', sk: 'CHARGES#2026-03' },
    ConditionExpression: 'attribute_not_exists(pk) OR #status <> :final',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':final': 'final' },
  },
};

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

function linePut(n: number) {
  return {
    Put: {
      TableName: TABLE,
      Item: {
        pk: 'ACCOUNT#acct-1',
        sk: `CHARGES#2026-03#LINE#${lineOf(n).snapshotId}`,
        recordKind: 'charge-line',
        snapshotId: lineOf(n).snapshotId,
        name: 'nightly',
        sizeBytes: 1024,
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        byteSeconds: '2739609600',
        cents: 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const SUMMARY_ITEM = {
  pk: 'ACCOUNT#acct-1',
  sk: 'CHARGES#2026-03',
  recordKind: 'charges',
  accountId: 'acct-1',
  month: '2026-03',
  status: 'final',
  asOf: '2026-04-01T00:00:00.000Z',
  totalCents: 3,
  lineCount: 3,
  computedAt: '2026-04-01T00:15:00.000Z',
};

const SUMMARY_PUT = {
  Put: {
    TableName: TABLE,
    Item: SUMMARY_ITEM,
    ConditionExpression: 'attribute_not_exists(pk) OR #status <> :final',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':final': 'final' },
  },
};

function transactions(mocked: ReturnType<typeof aMockedTable>) {
  return mocked.mock
    .commandCalls(TransactWriteCommand)
    .map((call) => call.args[0].input.TransactItems);
}

describe('DynamoChargesRepository', () => {
  const mocked = aMockedTable();
  const charges = new DynamoChargesRepository(mocked.table);

  it('makes a month final in one transaction: the summary unless final, and each new line', async () => {
    mocked.mock.on(TransactWriteCommand).resolves({});

    const saved = await charges.saveFinal(FINAL);

    expect(saved).toBe(true);
    expect(transactions(mocked)).toEqual([[SUMMARY_PUT, linePut(1), linePut(2), linePut(3)]]);
    expect(mocked.mock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("keys a snapshot's later lines of the month by their start: it spent a while in the recycle bin", async () => {
    mocked.mock.on(TransactWriteCommand).resolves({});
    const gapped = {
      ...FINAL,
      lines: [
        { ...lineOf(1), to: '2026-03-10T00:00:00.000Z' },
        { ...lineOf(1), from: '2026-03-12T00:00:00.000Z' },
        lineOf(2),
      ],
    };

    await charges.saveFinal(gapped);

    const [items] = transactions(mocked);
    expect(items?.slice(1).map((item) => item.Put?.Item?.sk)).toEqual([
      `CHARGES#2026-03#LINE#${lineOf(1).snapshotId}`,
      `CHARGES#2026-03#LINE#${lineOf(1).snapshotId}#2026-03-12T00:00:00.000Z`,
      `CHARGES#2026-03#LINE#${lineOf(2).snapshotId}`,
    ]);
  });

  it('writes the month’s event in the same transaction, as a conditional put in the outbox', async () => {
    mocked.mock.on(TransactWriteCommand).resolves({});
    const event = {
      detailType: EVENT.monthlyChargesComputed,
      detail: { accountId: FINAL.accountId, month: FINAL.month, status: 'final' },
    };

    await charges.saveFinal(FINAL, { events: [event] });

    const [items] = transactions(mocked);
    expect(items?.slice(0, 4)).toEqual([SUMMARY_PUT, linePut(1), linePut(2), linePut(3)]);
    expect(items?.[4]?.Put).toMatchObject({
      Item: { pk: `OUTBOX#${eventIdOf(event)}`, detailType: 'Monthly Charges Computed' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('writes only the missing lines, each guarded, then the summary, after an interrupted run', async () => {
    const lineTwoExists = cancelled('None', 'None', 'ConditionalCheckFailed', 'None');
    mocked.mock.on(TransactWriteCommand).resolves({});
    mocked.mock
      .on(TransactWriteCommand, {
        TransactItems: [SUMMARY_PUT, linePut(1), linePut(2), linePut(3)],
      })
      .rejects(lineTwoExists);
    mocked.mock
      .on(TransactWriteCommand, { TransactItems: [GUARD, linePut(1), linePut(2), linePut(3)] })
      .rejects(lineTwoExists);
    mocked.mock
      .on(TransactWriteCommand, { TransactItems: [GUARD, linePut(2)] })
      .rejects(cancelled('None', 'ConditionalCheckFailed'));
    mocked.mock.on(PutCommand).resolves({});

    const saved = await charges.saveFinal(FINAL);

    expect(saved).toBe(true);
    expect(transactions(mocked).slice(1)).toEqual([
      [GUARD, linePut(1), linePut(2), linePut(3)],
      [GUARD, linePut(1)],
      [GUARD, linePut(2)],
      [GUARD, linePut(3)],
    ]);
    expect(mocked.mock.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      SUMMARY_PUT.Put,
    ]);
  });

  it('writes nothing more once the month turns out final', async () => {
    mocked.mock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    const saved = await charges.saveFinal(FINAL);

    expect(saved).toBe(false);
    expect(mocked.mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(mocked.mock.commandCalls(PutCommand)).toHaveLength(0);
  });
});
