import { failSnapshotCopy } from '../core/use-cases/finish-snapshot-copy.ts';
import { CaughtErrorSchema, SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = SnapshotDeletionStepSchema.extend({ error: CaughtErrorSchema });

/** copy-snapshot's `FailCopy`: the copy failed, its source unchanged and let go. */
export const handler = workflowTask(FailInput, async (input, { ports }) =>
  failSnapshotCopy(ports, input),
);
