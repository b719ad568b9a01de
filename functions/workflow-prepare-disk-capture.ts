import { prepareDiskCapture } from '../core/use-cases/prepare-disk-capture.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * restore-slice's `PrepareUndoCapture` and delete-slice's `PrepareFinalCapture` pick the snapshots
 * the upload of the slice's disk, kept as a snapshot, builds on.
 */
export const handler = workflowTask(SnapshotStepSchema, (input, { ports }) =>
  prepareDiskCapture(ports, input),
);
