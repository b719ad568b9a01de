import { failSnapshotVerification } from '../core/use-cases/fail-snapshot-verification.ts';
import { CaughtErrorSchema, SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = SnapshotDeletionStepSchema.extend({ error: CaughtErrorSchema });

/** verify-snapshot's `FailVerification`: the operation failed; the snapshot is left as it was. */
export const handler = workflowTask(FailInput, async (input, { ports }) => ({
  error: await failSnapshotVerification(ports, input),
}));
