import {
  type DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import { TABLE } from './stored-records.ts';

const isOutbox = (input: { Item?: Record<string, unknown> }) =>
  String(input.Item?.pk ?? '').startsWith('OUTBOX#');

/** Every put of a record (alone or in a transaction), in order; outbox items left out. */
export function recordPuts(documents: AwsClientStub<DynamoDBDocumentClient>): PutCommandInput[] {
  return documents.calls().flatMap((call) => {
    const command = call.args[0];
    if (command instanceof PutCommand) return isOutbox(command.input) ? [] : [command.input];
    if (command instanceof TransactWriteCommand) {
      return (command.input.TransactItems ?? []).flatMap((item) =>
        item.Put && !isOutbox(item.Put) ? [item.Put as PutCommandInput] : [],
      );
    }
    return [];
  });
}

/** The events written to the outbox, in order, as the relay puts them on the bus. */
export function outboxEvents(
  documents: AwsClientStub<DynamoDBDocumentClient>,
): { source: string; detailType: string; detail: Record<string, unknown> }[] {
  return documents.commandCalls(TransactWriteCommand).flatMap((call) =>
    (call.args[0].input.TransactItems ?? []).flatMap((item) =>
      item.Put && isOutbox(item.Put)
        ? [
            {
              source: String(item.Put.Item?.source),
              detailType: String(item.Put.Item?.detailType),
              detail: JSON.parse(String(item.Put.Item?.detail)) as Record<string, unknown>,
            },
          ]
        : [],
    ),
  );
}

/**
 * Checks that the one record put is the operation, into the service's table and only if absent,
 * with the fields given.
 */
export function expectOperationPut(
  documents: AwsClientStub<DynamoDBDocumentClient>,
  operation: { id: string; accountId: string } & Record<string, unknown>,
): void {
  const puts = recordPuts(documents);
  expect(puts).toHaveLength(1);
  expect(puts[0]).toMatchObject({
    TableName: TABLE,
    ConditionExpression: 'attribute_not_exists(pk)',
    Item: { pk: `ACCOUNT#${operation.accountId}`, sk: `OPERATION#${operation.id}`, ...operation },
  });
}
