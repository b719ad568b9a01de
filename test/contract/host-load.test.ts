import { afterAll, describe, inject } from 'vitest';
import { DynamoHostLoad } from '../../adapters/aws/dynamo-host-load.ts';
import { MemoryHostLoad } from '../../adapters/memory/memory-host-load.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { hostLoadContract } from './host-load.contract.ts';

describe('HostLoad', () => {
  describe('in memory', () => {
    hostLoadContract(() => new MemoryHostLoad());
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    hostLoadContract(() => new DynamoHostLoad({ client, tableName }));
  });
});
