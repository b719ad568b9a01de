import { DynamoPolicyRepository } from '../../adapters/aws/dynamo-policy-repository.ts';
import { MemoryPolicyRepository } from '../../adapters/memory/memory-policy-repository.ts';
import { describeContract } from './describe-contract.ts';
import { policyRepositoryContract } from './policy-repository.contract.ts';

describeContract('PolicyRepository', policyRepositoryContract, {
  memory: (cursorSigner) => new MemoryPolicyRepository({ cursorSigner }),
  dynamo: (table) => (cursorSigner) => new DynamoPolicyRepository({ ...table, cursorSigner }),
});
