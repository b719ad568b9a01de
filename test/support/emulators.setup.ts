import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { LOCAL_IMAGES_BUCKET, LOCAL_TABLE_NAME } from '../../blueprint/facts.ts';
import { createTable, startDynamoDb } from '../../local/dynamodb.ts';
import { freePort } from '../../local/net.ts';
import { startS3 } from '../../local/s3.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
    tableName: string;
    imagesBucket: string;
  }
}

/** Starts DynamoDB Local and s3rver once for the whole integration run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), 'slice-snapshots-it-'));
  const [dynamo, s3] = await Promise.all([
    freePort().then((port) => startDynamoDb({ port })),
    freePort().then((port) =>
      startS3({ port, dataDir: join(workDir, 's3'), buckets: [LOCAL_IMAGES_BUCKET] }),
    ),
  ]);
  await createTable(dynamo.endpoint, LOCAL_TABLE_NAME);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('tableName', LOCAL_TABLE_NAME);
  project.provide('imagesBucket', LOCAL_IMAGES_BUCKET);
  return async () => {
    await Promise.all([dynamo.close(), s3.close()]);
    rmSync(workDir, { recursive: true, force: true });
  };
}
