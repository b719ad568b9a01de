import { failSnapshotDeletion } from '../core/use-cases/fail-snapshot-deletion.ts';
import { CaughtErrorSchema, SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = SnapshotDeletionStepSchema.extend({ error: CaughtErrorSchema });

/** delete-snapshot's `FailSnapshotDeletion`: the operation failed; the snapshot stays deleting. */
export const handler = workflowTask(FailInput, async (input, { ports }) => ({
  error: await failSnapshotDeletion(ports, input),
}));
