import { confirmSliceLockForSnapshot } from '../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** create-snapshot's `ConfirmSliceLock`: the lock confirmed, the upload registered, capturing. */
export const handler = workflowTask(SnapshotStepSchema, (input, { ports }) =>
  confirmSliceLockForSnapshot(ports, input),
);
