import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { OperationRepository } from '../../../../../core/ports/operation-repository.ts';
import type { SliceRepository } from '../../../../../core/ports/slice-repository.ts';
import type { SnapshotRepository } from '../../../../../core/ports/snapshot-repository.ts';
import type { WorkflowStarter } from '../../../../../core/ports/workflow-starter.ts';

const tableDown = async (): Promise<never> => {
  throw new Error('DynamoDB is down');
};

/** The operations of `ports`, but for the methods `overrides` replaces. */
export function operationsWith(
  ports: MemoryPorts,
  overrides: Partial<OperationRepository>,
): OperationRepository {
  const { operations } = ports;
  return {
    create: (operation, write) => operations.create(operation, write),
    get: (accountId, operationId) => operations.get(accountId, operationId),
    update: (current, next, write) => operations.update(current, next, write),
    list: (accountId, page) => operations.list(accountId, page),
    listRunning: (startedBefore, limit) => operations.listRunning(startedBefore, limit),
    ...overrides,
  };
}

/** The snapshots of `ports`, but for the methods `overrides` replaces. */
export function snapshotsWith(
  ports: MemoryPorts,
  overrides: Partial<SnapshotRepository>,
): SnapshotRepository {
  const { snapshots } = ports;
  return {
    create: (snapshot) => snapshots.create(snapshot),
    get: (accountId, snapshotId) => snapshots.get(accountId, snapshotId),
    list: (accountId, filter, page) => snapshots.list(accountId, filter, page),
    update: (current, next, write) => snapshots.update(current, next, write),
    listExpired: (before, limit, after) => snapshots.listExpired(before, limit, after),
    listDueForVerification: (before, limit) => snapshots.listDueForVerification(before, limit),
    ...overrides,
  };
}

/** The slices of `ports`, but for the methods `overrides` replaces. */
export function slicesWith(
  ports: MemoryPorts,
  overrides: Partial<SliceRepository>,
): SliceRepository {
  const { slices } = ports;
  return {
    create: (slice) => slices.create(slice),
    get: (accountId, sliceId) => slices.get(accountId, sliceId),
    list: (accountId, filter, page) => slices.list(accountId, filter, page),
    update: (current, next) => slices.update(current, next),
    acquireLock: (accountId, sliceId, operation, now) =>
      slices.acquireLock(accountId, sliceId, operation, now),
    releaseLock: (accountId, sliceId, operationId, now) =>
      slices.releaseLock(accountId, sliceId, operationId, now),
    ...overrides,
  };
}

/**
 * The operations of `ports` with every update refused, as when the table cannot be reached: the
 * write that ends an operation, and the events it carries, never happen.
 */
export function operationUpdatesDown(ports: MemoryPorts): OperationRepository {
  return operationsWith(ports, { update: tableDown });
}

/** The snapshots of `ports` with every update refused, as when the table cannot be reached. */
export function snapshotUpdatesDown(ports: MemoryPorts): SnapshotRepository {
  return snapshotsWith(ports, { update: tableDown });
}

/** The slices of `ports`, recording which writes are made (updates and lock moves), in order. */
export function recordingSliceWrites(ports: MemoryPorts): {
  slices: SliceRepository;
  writes: string[];
} {
  const writes: string[] = [];
  const slices = slicesWith(ports, {
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
  });
  return { slices, writes };
}

const stepFunctionsDown = async (): Promise<never> => {
  throw new Error('Step Functions is down');
};

/** A workflow starter whose every start fails, as when Step Functions cannot be reached. */
export const STEP_FUNCTIONS_DOWN: WorkflowStarter = {
  start: stepFunctionsDown,
  startPolicyRun: stepFunctionsDown,
  startStorageMark: stepFunctionsDown,
  describe: async () => ({ status: 'MISSING' as const, input: null }),
};
