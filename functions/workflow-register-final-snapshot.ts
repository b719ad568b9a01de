import { registerFinalSnapshot } from '../core/use-cases/register-final-snapshot.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * delete-slice's `RegisterFinalSnapshot` makes the slice's final snapshot available (billed, it
 * outlives the slice) before the disk is deleted.
 */
export const handler = workflowTask(SnapshotStepSchema, async (input, { ports }) => {
  const snapshot = await registerFinalSnapshot(ports, input);
  return { status: snapshot.status, sizeBytes: snapshot.sizeBytes };
});
