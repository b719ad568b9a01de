import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { MemoryOperationRepository } from '../../adapters/memory/memory-operation-repository.ts';
import { describeContract } from './describe-contract.ts';
import { operationRepositoryContract } from './operation-repository.contract.ts';

describeContract('OperationRepository', operationRepositoryContract, {
  memory: (cursorSigner) => new MemoryOperationRepository({ cursorSigner }),
  dynamo: (table) => (cursorSigner) => new DynamoOperationRepository({ ...table, cursorSigner }),
});
