import { S3CollectionStore } from '../../adapters/aws/s3-collection-store.ts';
import { MemoryCollectionStore } from '../../adapters/memory/memory-collection-store.ts';
import { collectionStoreContract } from './collection-store.contract.ts';
import { describeContract } from './describe-contract.ts';

describeContract('CollectionStore', collectionStoreContract, {
  memory: () => ({ store: new MemoryCollectionStore() }),
  s3:
    ({ client, bucket }) =>
    () => ({ store: new S3CollectionStore({ client, bucket }) }),
});
