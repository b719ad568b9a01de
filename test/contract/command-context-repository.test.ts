import { afterAll, describe, inject } from 'vitest';
import { DynamoCommandContexts } from '../../adapters/aws/dynamo-command-contexts.ts';
import { MemoryCommandContexts } from '../../adapters/memory/memory-command-contexts.ts';
import { commandContextRepositoryContract } from './command-context-repository.contract.ts';
import { localDocumentClient } from './dynamo-document-client.ts';

describe('CommandContextRepository', () => {
  describe('in memory', () => {
    commandContextRepositoryContract((clock) => new MemoryCommandContexts({ clock }));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    commandContextRepositoryContract(
      (clock) => new DynamoCommandContexts({ client, tableName, now: () => clock.now() }),
    );
  });
});
