import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, expect } from 'vitest';
import { HmacSigner } from '../../../../adapters/node/hmac-signer.ts';

export const TABLE = 'test-table';
export const cursorSigner = new HmacSigner('adapter-unit-test-cursor-key-0123456789');

/** A DocumentClient and the mock that answers its commands: nothing leaves the process. */
export function aMockedDocumentClient(): {
  client: DynamoDBDocumentClient;
  mock: AwsClientStub<DynamoDBDocumentClient>;
} {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
    }),
  );
  return { client, mock: mockClient(client) };
}

/**
 * A mocked DocumentClient for the enclosing describe: its answers and recorded calls are cleared
 * before each test, and each test is held to having sent no Scan. `table` is what an adapter
 * takes to reach the test table through it.
 */
export function aMockedTable(): ReturnType<typeof aMockedDocumentClient> & {
  table: { client: DynamoDBDocumentClient; tableName: string };
} {
  const mocked = aMockedDocumentClient();
  beforeEach(() => mocked.mock.reset());
  afterEach(() => expectNoScan(mocked.mock));
  return { ...mocked, table: { client: mocked.client, tableName: TABLE } };
}

/** The error DynamoDB answers when a write's condition does not hold. */
export function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
  });
}

/** Asserts every command sent was a key lookup, a Query or a conditional write: never a Scan. */
export function expectNoScan(mock: AwsClientStub<DynamoDBDocumentClient>): void {
  const sent = mock.calls().map((call) => call.args[0]?.constructor.name);
  for (const name of sent) {
    expect([
      'GetCommand',
      'PutCommand',
      'UpdateCommand',
      'QueryCommand',
      'TransactWriteCommand',
    ]).toContain(name);
  }
}
