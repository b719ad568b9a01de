import { deleteSnapshotImage } from '../core/use-cases/delete-snapshot-image.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * delete-snapshot's `DeleteImage` deletes the snapshot's manifest; the chunk collection reclaims
 * its chunks.
 */
export const handler = workflowTask(SnapshotDeletionStepSchema, (input, { ports }) =>
  deleteSnapshotImage(ports, input),
);
