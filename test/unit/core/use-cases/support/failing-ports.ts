import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { OperationRepository } from '../../../../../core/ports/operation-repository.ts';
import type { SliceRepository } from '../../../../../core/ports/slice-repository.ts';
import type { SnapshotRepository } from '../../../../../core/ports/snapshot-repository.ts';
import type { WorkflowStarter } from '../../../../../core/ports/workflow-starter.ts';

/**
 * The operations of `ports` with every update refused, as when the table cannot be reached: the
 * write that ends an operation, and the events it carries, never happen.
 */
export function operationUpdatesDown(ports: MemoryPorts): OperationRepository {
  return {
    create: (operation, write) => ports.operations.create(operation, write),
    get: (accountId, operationId) => ports.operations.get(accountId, operationId),
    update: async () => {
      throw new Error('DynamoDB is down');
    },
    list: (accountId, page) => ports.operations.list(accountId, page),
    listRunning: (startedBefore, limit) => ports.operations.listRunning(startedBefore, limit),
  };
}

/** The snapshots of `ports` with every update refused, as when the table cannot be reached. */
export function snapshotUpdatesDown(ports: MemoryPorts): SnapshotRepository {
  return {
    create: (snapshot) => ports.snapshots.create(snapshot),
    get: (accountId, snapshotId) => ports.snapshots.get(accountId, snapshotId),
    list: (accountId, filter, page) => ports.snapshots.list(accountId, filter, page),
    listExpired: (before, limit, after) => ports.snapshots.listExpired(before, limit, after),
    listDueForVerification: (before, limit) =>
      ports.snapshots.listDueForVerification(before, limit),
    update: async () => {
      throw new Error('DynamoDB is down');
    },
  };
}

/** The slices of `ports`, recording which writes are made (updates and lock moves), in order. */
export function recordingSliceWrites(ports: MemoryPorts): {
  slices: SliceRepository;
  writes: string[];
} {
  const writes: string[] = [];
  const slices: SliceRepository = {
    create: (slice) => ports.slices.create(slice),
    get: (accountId, sliceId) => ports.slices.get(accountId, sliceId),
    list: (accountId, filter, page) => ports.slices.list(accountId, filter, page),
    update: async (current, next) => {
      writes.push('update');
      await ports.slices.update(current, next);
    },
    acquireLock: async (accountId, sliceId, operation, now) => {
      writes.push('acquireLock');
      return ports.slices.acquireLock(accountId, sliceId, operation, now);
    },
    releaseLock: async (accountId, sliceId, operationId, now) => {
      writes.push('releaseLock');
      return ports.slices.releaseLock(accountId, sliceId, operationId, now);
    },
  };
  return { slices, writes };
}

/** A workflow starter whose every start fails, as when Step Functions cannot be reached. */
export const STEP_FUNCTIONS_DOWN: WorkflowStarter = {
  start: async () => {
    throw new Error('Step Functions is down');
  },
  startPolicyRun: async () => {
    throw new Error('Step Functions is down');
  },
  startStorageMark: async () => {
    throw new Error('Step Functions is down');
  },
  describe: async () => ({ status: 'MISSING' as const, input: null }),
};
