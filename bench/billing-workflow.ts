import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoUsageRepository } from '../adapters/aws/dynamo-usage-repository.ts';
import { LOCAL_TABLE_NAME } from '../blueprint/facts.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, startLocalCloud } from '../local/cloud.ts';
import { localDynamoClient } from '../local/dynamodb.ts';
import { freePort } from '../local/net.ts';
import { stateMachineArnOf } from '../local/stepfunctions/arns.ts';
import type { BenchRow } from './bench-row.ts';
import {
  elapsedSince,
  MONTH,
  recordsRow,
  usageRecords,
  WHOLE_RUN_SEED,
} from './billing-records.ts';

const COUNT = 20_000;
const ACCOUNTS = 2_000;

interface RunSummary {
  readonly accounts: number;
  readonly lines: number;
  readonly unchanged: number;
  readonly partitions: readonly number[];
  readonly monthFinal: boolean;
}

async function runToEnd(sfn: SFNClient, stateMachineArn: string, input: object) {
  const start = process.hrtime.bigint();
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  let described: DescribeExecutionCommandOutput;
  do {
    await sleep(100);
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } while (described.status === 'RUNNING');
  const seconds = elapsedSince(start);
  if (described.status !== 'SUCCEEDED') {
    throw new Error(`billing-run ${described.status}: ${described.error} ${described.cause}`);
  }
  return { seconds, summary: JSON.parse(described.output ?? '{}') as RunSummary };
}

function note(summary: RunSummary): string {
  return (
    `${summary.partitions.length} Map items, 4 at a time; ${summary.accounts} accounts, ` +
    `${summary.lines.toLocaleString('en-US')} lines, ${summary.unchanged} unchanged; ` +
    'events to the local bus'
  );
}

/**
 * The whole run's records billed through the billing-run state machine of the local cloud: the
 * plan, one billing-run invocation per partition (the Map), the summary; then the same month again,
 * which writes nothing and tells every account its total once more.
 */
export async function workflowRun(log: (line: string) => void): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-billing-workflow-'));
  const environment = { ...process.env };
  log('starting the local cloud');
  const cloud = await startLocalCloud({ dataDir, apiPort: await freePort(), log: () => undefined });
  const documents = DynamoDBDocumentClient.from(localDynamoClient(cloud.endpoints.dynamodb), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sfn = new SFNClient({ endpoint: cloud.endpoints.stepfunctions, region: LOCAL_REGION });
  try {
    const usage = new DynamoUsageRepository({ client: documents, tableName: LOCAL_TABLE_NAME });
    const records = usageRecords(COUNT, ACCOUNTS, WHOLE_RUN_SEED);
    log(`storing ${COUNT.toLocaleString('en-US')} usage records in ${ACCOUNTS} accounts`);
    for (let start = 0; start < records.length; start += 50) {
      await Promise.all(records.slice(start, start + 50).map((record) => usage.start(record)));
    }
    const stateMachineArn = stateMachineArnOf(LOCAL_REGION, LOCAL_ACCOUNT_ID, 'billing-run');

    log(`billing-run state machine: ${MONTH} made final`);
    const final = await runToEnd(sfn, stateMachineArn, { month: MONTH });
    log(JSON.stringify(final.summary));
    log('billing-run state machine again: the same month, nothing to write');
    const again = await runToEnd(sfn, stateMachineArn, { month: MONTH });

    return [
      recordsRow(
        'local state machine: final month, 20,000 snapshots / 2,000 accounts',
        COUNT,
        final.seconds,
        note(final.summary),
      ),
      recordsRow(
        'local state machine: re-run of the final month',
        COUNT,
        again.seconds,
        note(again.summary),
      ),
    ];
  } finally {
    sfn.destroy();
    documents.destroy();
    await cloud.close();
    process.env = environment;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
