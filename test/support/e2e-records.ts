import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { LOCAL_TABLE_NAME } from '../../blueprint/facts.ts';
import { readEndpoints } from '../../local/cloud.ts';

/**
 * Writes records straight into the running local cloud's table, for states no API reaches yet.
 * The cursor key is irrelevant for writes; listing goes through the API.
 */
export function localSnapshotRepository(): { repository: DynamoSnapshotRepository; close(): void } {
  const { dynamodb } = readEndpoints(inject('localDataDir'));
  const client = new DynamoDBClient({
    endpoint: dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const repository = new DynamoSnapshotRepository({
    client: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName: LOCAL_TABLE_NAME,
    cursorSigner: new HmacSigner('seeding-only-the-api-signs-its-own-cursors'),
  });
  return { repository, close: () => client.destroy() };
}
