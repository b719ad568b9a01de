import { DynamoPolicyRunRepository } from '../../adapters/aws/dynamo-policy-run-repository.ts';
import { MemoryPolicyRunRepository } from '../../adapters/memory/memory-policy-run-repository.ts';
import { describeContract } from './describe-contract.ts';
import { policyRunRepositoryContract } from './policy-run-repository.contract.ts';

describeContract('PolicyRunRepository', policyRunRepositoryContract, {
  memory: (cursorSigner) => new MemoryPolicyRunRepository({ cursorSigner }),
  dynamo: (table) => (cursorSigner) => new DynamoPolicyRunRepository({ ...table, cursorSigner }),
});
