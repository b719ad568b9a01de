import { settleRestore } from '../core/use-cases/settle-restore.ts';
import { RestoreStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** restore-slice's `SettleRestore`: after a failed completion, was the restore committed? */
export const handler = workflowTask(RestoreStepSchema, (input, { ports }) =>
  settleRestore(ports, input),
);
