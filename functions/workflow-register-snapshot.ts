import { registerSnapshot } from '../core/use-cases/register-snapshot.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** create-snapshot's `RegisterSnapshot`: the image verified, the snapshot available. */
export const handler = workflowTask(SnapshotStepSchema, async (input, { ports }) => {
  const snapshot = await registerSnapshot(ports, input);
  return { status: snapshot.status, sizeBytes: snapshot.sizeBytes };
});
