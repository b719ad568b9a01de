import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { OperationRepository } from '../../../../../core/ports/operation-repository.ts';
import type { SliceRepository } from '../../../../../core/ports/slice-repository.ts';
import type { SnapshotRepository } from '../../../../../core/ports/snapshot-repository.ts';
import type { WorkflowStarter } from '../../../../../core/ports/workflow-starter.ts';

const tableDown = async (): Promise<never> => {
  throw new Error('DynamoDB is down');
};

/**
 * `port` as it is, but for the methods `overrides` replaces. The port's own methods are called on
 * the port itself, so a memory adapter keeps its state.
 */
export function withOverrides<T extends object>(port: T, overrides: Partial<T>): T {
  return new Proxy(port, {
    get(target, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The operations of `ports` with every update refused, as when the table cannot be reached: the
 * write that ends an operation, and the events it carries, never happen.
 */
export function operationUpdatesDown(ports: MemoryPorts): OperationRepository {
  return withOverrides<OperationRepository>(ports.operations, { update: tableDown });
}

/** The snapshots of `ports` with every update refused, as when the table cannot be reached. */
export function snapshotUpdatesDown(ports: MemoryPorts): SnapshotRepository {
  return withOverrides<SnapshotRepository>(ports.snapshots, { update: tableDown });
}

/** The slices of `ports`, recording which writes are made (updates and lock moves), in order. */
export function recordingSliceWrites(ports: MemoryPorts): {
  slices: SliceRepository;
  writes: string[];
} {
  const writes: string[] = [];
  const slices = withOverrides<SliceRepository>(ports.slices, {
    update: async (current, next) => {
      writes.push('update');
      await ports.slices.update(current, next);
    },
    acquireLock: async (request) => {
      writes.push('acquireLock');
      return ports.slices.acquireLock(request);
    },
    releaseLock: async (release) => {
      writes.push('releaseLock');
      return ports.slices.releaseLock(release);
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
