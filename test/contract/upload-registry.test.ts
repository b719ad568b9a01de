import { afterAll, describe, inject } from 'vitest';
import { DynamoUploadRegistry } from '../../adapters/aws/dynamo-upload-registry.ts';
import { MemoryUploadRegistry } from '../../adapters/memory/memory-upload-registry.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { uploadRegistryContract } from './upload-registry.contract.ts';

describe('UploadRegistry', () => {
  describe('in memory', () => {
    uploadRegistryContract((clock) => new MemoryUploadRegistry({ clock }));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    uploadRegistryContract(
      (clock) => new DynamoUploadRegistry({ client, tableName, now: () => clock.now() }),
    );
  });
});
