import { lockSliceForSnapshot } from '../core/use-cases/lock-slice-for-snapshot.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** create-snapshot's `LockSlice`: the lock confirmed, the upload registered, capturing. */
export const handler = workflowTask(SnapshotStepSchema, (input, { ports }) =>
  lockSliceForSnapshot(ports, input),
);
