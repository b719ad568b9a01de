import { confirmSliceLockForSnapshot } from '../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * create-snapshot's `ConfirmSliceLock` confirms the slice's lock, picks the snapshots the upload
 * builds on and moves the snapshot to `capturing`.
 */
export const handler = workflowTask(SnapshotStepSchema, (input, { ports }) =>
  confirmSliceLockForSnapshot(ports, input),
);
