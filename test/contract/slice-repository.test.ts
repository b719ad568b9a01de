import { DynamoSliceRepository } from '../../adapters/aws/dynamo-slice-repository.ts';
import { MemorySliceRepository } from '../../adapters/memory/memory-slice-repository.ts';
import { describeContract } from './describe-contract.ts';
import { sliceRepositoryContract } from './slice-repository.contract.ts';

describeContract('SliceRepository', sliceRepositoryContract, {
  memory: (cursorSigner) => new MemorySliceRepository({ cursorSigner }),
  dynamo: (table) => (cursorSigner) => new DynamoSliceRepository({ ...table, cursorSigner }),
});
