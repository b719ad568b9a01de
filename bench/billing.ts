import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoChargesRepository } from '../adapters/aws/dynamo-charges-repository.ts';
import { DynamoUsageRepository } from '../adapters/aws/dynamo-usage-repository.ts';
import { ManualClock } from '../adapters/memory/manual-clock.ts';
import { LOCAL_TABLE_NAME } from '../blueprint/facts.ts';
import { billingWindow, computeMonthlyCharges } from '../core/billing/charges.ts';
import type { BilledUsage } from '../core/billing/usage.ts';
import { runBilling } from '../core/use-cases/run-billing.ts';
import { createTable, localDynamoClient, startDynamoDb } from '../local/dynamodb.ts';
import { freePort } from '../local/net.ts';
import type { BenchRow, BenchSuite } from './bench-row.ts';
import {
  elapsedSince,
  MONTH,
  recordsRow,
  SUITE,
  usageRecords,
  WHOLE_RUN_SEED,
} from './billing-records.ts';
import { workflowRun } from './billing-workflow.ts';

/** The core computation only: group a million records by account and price every account's month. */
export function coreComputation(log: (line: string) => void): BenchRow {
  const count = 1_000_000;
  log(`generating ${count.toLocaleString('en-US')} usage records in memory`);
  const records = usageRecords(count, 100_000);
  const window = billingWindow(MONTH);
  log('computing the charges');
  const start = process.hrtime.bigint();
  const byAccount = new Map<string, BilledUsage[]>();
  for (const record of records) {
    const list = byAccount.get(record.accountId);
    if (list) list.push(record);
    else byAccount.set(record.accountId, [record]);
  }
  let lines = 0;
  let cents = 0n;
  for (const [accountId, usage] of byAccount) {
    const charges = computeMonthlyCharges(accountId, usage, window, 'final');
    lines += charges.lines.length;
    cents += charges.totalCents;
  }
  const seconds = elapsedSince(start);
  log(`${lines} lines, total ${cents} cents`);
  return recordsRow(
    'core computation, 1,000,000 records in 100,000 accounts',
    count,
    seconds,
    `group by account + exact bigint pricing, one thread; ${lines.toLocaleString('en-US')} lines billed`,
  );
}

/** The whole run (index reads, conditional writes, events) against DynamoDB Local. */
export async function wholeRun(log: (line: string) => void): Promise<BenchRow[]> {
  const count = 20_000;
  const accounts = 2_000;
  log('starting DynamoDB Local');
  const dynamo = await startDynamoDb({ port: await freePort() });
  const client = DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    await createTable(dynamo.endpoint, LOCAL_TABLE_NAME);
    const access = { client, tableName: LOCAL_TABLE_NAME };
    const usage = new DynamoUsageRepository(access);
    const records = usageRecords(count, accounts, WHOLE_RUN_SEED);
    log(`storing ${count.toLocaleString('en-US')} usage records in ${accounts} accounts`);
    const loadStart = process.hrtime.bigint();
    for (let start = 0; start < records.length; start += 50) {
      await Promise.all(records.slice(start, start + 50).map((record) => usage.start(record)));
    }
    const loadSeconds = elapsedSince(loadStart);
    const deps = {
      usage,
      charges: new DynamoChargesRepository(access),
      clock: new ManualClock('2026-04-01T00:15:00.000Z'),
    };

    log('billing run: the month just ended, made final');
    const finalStart = process.hrtime.bigint();
    const final = await runBilling(deps);
    const finalSeconds = elapsedSince(finalStart);
    log(`${JSON.stringify(final)}`);

    log('billing run again: the same month, nothing to change');
    const againStart = process.hrtime.bigint();
    const again = await runBilling(deps, { month: MONTH });
    const againSeconds = elapsedSince(againStart);

    log('billing run: month-to-date estimate');
    deps.clock.set('2026-04-16T00:15:00.000Z');
    const estimateStart = process.hrtime.bigint();
    const estimate = await runBilling(deps, { month: '2026-04' });
    const estimateSeconds = elapsedSince(estimateStart);

    const note = (summary: typeof final) =>
      `${summary.accounts} accounts, ${summary.lines.toLocaleString('en-US')} lines, ` +
      `${summary.unchanged} unchanged; events written to the outbox`;
    return [
      recordsRow('DynamoDB Local: storing usage records', count, loadSeconds, '50 puts at once'),
      recordsRow(
        'DynamoDB Local: whole run, final month, 20,000 snapshots / 2,000 accounts',
        count,
        finalSeconds,
        note(final),
      ),
      recordsRow('DynamoDB Local: re-run of the final month', count, againSeconds, note(again)),
      recordsRow(
        'DynamoDB Local: month-to-date estimate run',
        count,
        estimateSeconds,
        note(estimate),
      ),
    ];
  } finally {
    client.destroy();
    await dynamo.close();
  }
}

/**
 * Billing: the core computation in memory, the whole run against DynamoDB Local, and the same
 * records billed through the billing-run state machine of the local cloud.
 */
export const billingSuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    return [coreComputation(log), ...(await wholeRun(log)), ...(await workflowRun(log))];
  },
};
