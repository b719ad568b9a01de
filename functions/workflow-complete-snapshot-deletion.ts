import { z } from 'zod';
import { completeSnapshotDeletion } from '../core/use-cases/complete-snapshot-deletion.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const CompleteInput = SnapshotDeletionStepSchema.extend({
  deletedChunks: z.number().int().min(0),
});

/**
 * delete-snapshot's `CompleteSnapshotDeletion` leaves the snapshot as a tombstone and emits
 * `Snapshot Deleted`.
 */
export const handler = workflowTask(CompleteInput, async (input, { ports }) => {
  const snapshot = await completeSnapshotDeletion(ports, input);
  return { status: snapshot.status };
});
