import { failSliceOperation } from '../core/use-cases/fail-slice-operation.ts';
import { CaughtErrorSchema, SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = SliceStepSchema.extend({ error: CaughtErrorSchema });

/**
 * The last step of a failed power change or slice deletion unlocks the slice and fails the
 * operation.
 */
export const handler = workflowTask(FailInput, async (input, { ports }) => ({
  error: await failSliceOperation(ports, input),
}));
