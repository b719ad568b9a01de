import { DynamoUploadRegistry } from '../../adapters/aws/dynamo-upload-registry.ts';
import { MemoryUploadRegistry } from '../../adapters/memory/memory-upload-registry.ts';
import { describeContract } from './describe-contract.ts';
import { uploadRegistryContract } from './upload-registry.contract.ts';

describeContract('UploadRegistry', uploadRegistryContract, {
  memory: (clock) => new MemoryUploadRegistry({ clock }),
  dynamo: (table) => (clock) => new DynamoUploadRegistry({ ...table, now: () => clock.now() }),
});
