import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { MemorySnapshotRepository } from '../../adapters/memory/memory-snapshot-repository.ts';
import { describeContract } from './describe-contract.ts';
import { snapshotRepositoryContract } from './snapshot-repository.contract.ts';

describeContract('SnapshotRepository', snapshotRepositoryContract, {
  memory: (cursorSigner) => new MemorySnapshotRepository({ cursorSigner }),
  dynamo: (table) => (cursorSigner) => new DynamoSnapshotRepository({ ...table, cursorSigner }),
});
