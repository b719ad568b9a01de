import { completeSnapshotDeletion } from '../core/use-cases/complete-snapshot-deletion.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * delete-snapshot's `CompleteSnapshotDeletion` leaves the snapshot as a tombstone and emits
 * `Snapshot Deleted`.
 */
export const handler = workflowTask(SnapshotDeletionStepSchema, async (input, { ports }) => {
  const snapshot = await completeSnapshotDeletion(ports, input);
  return { status: snapshot.status };
});
