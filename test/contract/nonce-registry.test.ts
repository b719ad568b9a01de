import { afterAll, describe, inject } from 'vitest';
import { DynamoNonceRegistry } from '../../adapters/aws/dynamo-nonce-registry.ts';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryNonceRegistry } from '../../adapters/memory/memory-nonce-registry.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { nonceRegistryContract } from './nonce-registry.contract.ts';

describe('NonceRegistry', () => {
  describe('in memory', () => {
    nonceRegistryContract(() => new MemoryNonceRegistry(new ManualClock(new Date())));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    nonceRegistryContract(() => new DynamoNonceRegistry({ client, tableName }));
  });
});
