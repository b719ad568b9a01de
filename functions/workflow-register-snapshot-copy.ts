import { registerSnapshotCopy } from '../core/use-cases/finish-snapshot-copy.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** copy-snapshot's `RegisterCopy`: the manifest written, the image checked whole, available. */
export const handler = workflowTask(SnapshotDeletionStepSchema, async (input, { ports }) => {
  const copy = await registerSnapshotCopy(ports, input);
  return { status: copy.status, sizeBytes: copy.sizeBytes };
});
