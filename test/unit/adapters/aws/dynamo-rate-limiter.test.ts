import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '../../../../adapters/aws/dynamo-rate-limiter.ts';
import { ManualClock } from '../../../../adapters/memory/manual-clock.ts';
import { aMockedTable, TABLE } from './dynamo-test-support.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const NOW_MICROS = Date.parse(NOW) * 1000;
const LIMIT = { perSecond: 20, burst: 40 };
const INTERVAL = 50_000;
const WINDOW = 40 * INTERVAL;
const KEY = { pk: 'RATE-LIMIT#account#acct-1', sk: 'BUCKET' };

/** The failure DynamoDB answers with the stored item (ReturnValuesOnConditionCheckFailure). */
function conditionFailedWith(tat: number): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: { tat: { N: String(tat) } },
  });
}

describe('DynamoRateLimiter', () => {
  const mocked = aMockedTable();
  let limiter: DynamoRateLimiter;

  // A limiter keeps hints between calls: each test has its own.
  beforeEach(() => {
    limiter = new DynamoRateLimiter({ ...mocked.table, clock: new ManualClock(NOW) });
  });
  const updates = () => mocked.mock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
  /** One request of the account asks for a token. */
  const take = () => limiter.take('account#acct-1', LIMIT);
  /** `count` requests of the account ask for a token at the same moment. */
  const takeAtOnce = (count: number) => Promise.all(Array.from({ length: count }, take));

  it('refills a full bucket and takes a token in one conditional update', async () => {
    mocked.mock.on(UpdateCommand).resolves({ Attributes: { tat: NOW_MICROS + INTERVAL } });

    const decision = await take();

    expect(decision).toEqual({ allowed: true, remaining: 39 });
    expect(updates()).toEqual([
      {
        TableName: TABLE,
        Key: KEY,
        UpdateExpression: 'SET #tat = :next, #expires = :expires, #kind = :kind',
        ConditionExpression: 'attribute_not_exists(#tat) OR #tat <= :now',
        ExpressionAttributeNames: {
          '#tat': 'tat',
          '#expires': 'expiration',
          '#kind': 'recordKind',
        },
        ExpressionAttributeValues: {
          ':now': NOW_MICROS,
          ':next': NOW_MICROS + INTERVAL,
          ':expires': Date.parse(NOW) / 1000 + 4 + 60,
          ':kind': 'rate-limit-bucket',
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    ]);
  });

  it('queues behind a bucket that is not full, with the stored item the failed refill returned', async () => {
    const stored = NOW_MICROS + 10 * INTERVAL;
    mocked.mock
      .on(UpdateCommand)
      .rejectsOnce(conditionFailedWith(stored))
      .resolves({ Attributes: { tat: stored + INTERVAL } });

    const decision = await take();

    expect(decision).toEqual({ allowed: true, remaining: 29 });
    expect(updates()[1]).toMatchObject({
      Key: KEY,
      UpdateExpression: 'SET #tat = #tat + :interval, #expires = :expires, #kind = :kind',
      ConditionExpression: '#tat > :now AND #tat <= :latest',
      ExpressionAttributeValues: {
        ':now': NOW_MICROS,
        ':interval': INTERVAL,
        ':latest': NOW_MICROS + WINDOW - INTERVAL,
      },
    });
  });

  it('refuses an empty bucket without writing again, with the wait until its next token', async () => {
    mocked.mock.on(UpdateCommand).rejects(conditionFailedWith(NOW_MICROS + WINDOW + 30_000));

    const first = await take();
    const second = await take();

    expect(first).toEqual({ allowed: false, retryAfterMs: 80 });
    expect(second).toEqual({ allowed: false, retryAfterMs: 80 });
    expect(updates()).toHaveLength(1);
  });

  it('rethrows what is not a failed condition', async () => {
    mocked.mock.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(take()).rejects.toThrow(/Provisioned/);
  });

  it('takes the tokens of takes that wait on a write in flight together, in the next write', async () => {
    mocked.mock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { tat: NOW_MICROS + INTERVAL } })
      .resolves({ Attributes: { tat: NOW_MICROS + 4 * INTERVAL } });

    const decisions = await takeAtOnce(4);

    expect(decisions).toEqual([
      { allowed: true, remaining: 39 },
      { allowed: true, remaining: 38 },
      { allowed: true, remaining: 37 },
      { allowed: true, remaining: 36 },
    ]);
    expect(updates()).toHaveLength(2);
    expect(updates()[1]).toMatchObject({
      ConditionExpression: '#tat > :now AND #tat <= :latest',
      ExpressionAttributeValues: {
        ':interval': 3 * INTERVAL,
        ':latest': NOW_MICROS + WINDOW - 3 * INTERVAL,
      },
    });
  });

  it('admits only what fits of the takes that wait together, and refuses the rest', async () => {
    const nearlyEmpty = NOW_MICROS + WINDOW - 2 * INTERVAL;
    mocked.mock
      .on(UpdateCommand)
      .rejectsOnce(conditionFailedWith(nearlyEmpty))
      .resolvesOnce({ Attributes: { tat: nearlyEmpty + INTERVAL } })
      .resolves({ Attributes: { tat: nearlyEmpty + 2 * INTERVAL } });

    const decisions = await takeAtOnce(4);

    expect(decisions).toEqual([
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false, retryAfterMs: 50 },
      { allowed: false, retryAfterMs: 50 },
    ]);
    expect(updates()).toHaveLength(3);
    expect(updates()[2]?.ExpressionAttributeValues).toMatchObject({ ':interval': INTERVAL });
  });
});
