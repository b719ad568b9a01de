import { afterAll, describe, inject } from 'vitest';
import { DynamoCommandContextRepository } from '../../adapters/aws/dynamo-command-context-repository.ts';
import { MemoryCommandContextRepository } from '../../adapters/memory/memory-command-context-repository.ts';
import { commandContextRepositoryContract } from './command-context-repository.contract.ts';
import { localDocumentClient } from './dynamo-document-client.ts';

describe('CommandContextRepository', () => {
  describe('in memory', () => {
    commandContextRepositoryContract((clock) => new MemoryCommandContextRepository({ clock }));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    commandContextRepositoryContract(
      (clock) => new DynamoCommandContextRepository({ client, tableName, now: () => clock.now() }),
    );
  });
});
