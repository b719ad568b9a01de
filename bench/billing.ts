import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoChargesRepository } from '../adapters/aws/dynamo-charges-repository.ts';
import { DynamoUsageRepository } from '../adapters/aws/dynamo-usage-repository.ts';
import { LOCAL_TABLE_NAME } from '../adapters/aws/table-design.ts';
import { ManualClock } from '../adapters/memory/manual-clock.ts';
import { MemoryEventPublisher } from '../adapters/memory/memory-event-publisher.ts';
import { billingWindow, computeMonthlyCharges } from '../core/billing/charges.ts';
import type { BilledUsage } from '../core/billing/usage.ts';
import { BYTES_PER_GIB } from '../core/shared/sizes.ts';
import { runBilling } from '../core/use-cases/run-billing.ts';
import { createTable, localDynamoClient, startDynamoDb } from '../local/dynamodb.ts';
import { freePort } from '../local/net.ts';
import type { BenchRow, BenchSuite } from './bench-row.ts';

const SUITE = 'billing';
const MONTH = '2026-03';
const MONTH_START = Date.parse('2026-03-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

/** A deterministic generator, so every run bills the same records. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `count` usage records spread over `accounts` accounts: most kept through the month, some taken
 * or deleted during it, a few deleted before it (not billed), sizes up to 512 GiB.
 */
function usageRecords(count: number, accounts: number, seed = 7): BilledUsage[] {
  const random = randomSource(seed);
  const records: BilledUsage[] = [];
  for (let index = 0; index < count; index += 1) {
    const from = MONTH_START + Math.floor((random() * 120 - 90) * DAY_MS);
    const deleted = random() < 0.3;
    const to = deleted ? from + Math.floor(random() * 60 * DAY_MS) : null;
    records.push({
      accountId: `bench-${String(index % accounts).padStart(7, '0')}`,
      snapshotId: `snp_${String(index).padStart(26, '0')}`,
      name: `snapshot-${index}`,
      sizeBytes: Math.floor(random() * 512 * BYTES_PER_GIB),
      from: new Date(from).toISOString(),
      to: to === null ? null : new Date(to).toISOString(),
    });
  }
  return records;
}

function recordsRow(name: string, records: number, seconds: number, note: string): BenchRow {
  const perSecond = records / seconds;
  return {
    suite: SUITE,
    name,
    seconds,
    note: `${Math.round(perSecond).toLocaleString('en-US')} records/s; ${note}`,
  };
}

function elapsedSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

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
    const records = usageRecords(count, accounts, 11);
    log(`storing ${count.toLocaleString('en-US')} usage records in ${accounts} accounts`);
    const loadStart = process.hrtime.bigint();
    for (let start = 0; start < records.length; start += 50) {
      await Promise.all(records.slice(start, start + 50).map((record) => usage.start(record)));
    }
    const loadSeconds = elapsedSince(loadStart);
    const deps = {
      usage,
      charges: new DynamoChargesRepository(access),
      events: new MemoryEventPublisher(),
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
      `${summary.unchanged} unchanged; events to memory`;
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

/** Billing: the core computation in memory, and the whole run against DynamoDB Local. */
export const billingSuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    return [coreComputation(log), ...(await wholeRun(log))];
  },
};
