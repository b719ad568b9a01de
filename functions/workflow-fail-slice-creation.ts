import { failSliceCreation } from '../core/use-cases/fail-slice-creation.ts';
import { CaughtErrorSchema, SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = SliceStepSchema.extend({ error: CaughtErrorSchema });

/** create-slice's `FailSliceCreation` puts the slice in error and gives its host load back. */
export const handler = workflowTask(FailInput, async (input, { ports }) => ({
  error: await failSliceCreation(ports, input),
}));
