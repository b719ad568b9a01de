import { completeRestoreIfCommitted } from '../core/use-cases/complete-restore-if-committed.ts';
import { RestoreStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * restore-slice's `CompleteRestoreIfCommitted`: after a failed completion, completes the restore if
 * it was committed all the same.
 */
export const handler = workflowTask(RestoreStepSchema, (input, { ports }) =>
  completeRestoreIfCommitted(ports, input),
);
