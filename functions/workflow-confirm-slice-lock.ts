import { confirmSliceLock } from '../core/use-cases/confirm-slice-lock.ts';
import { SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** The `ConfirmSliceLock` step of restore-slice, change-slice-power and delete-slice. */
export const handler = workflowTask(SliceStepSchema, (input, { ports }) =>
  confirmSliceLock(ports, input),
);
