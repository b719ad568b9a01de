import { z } from 'zod';
import { completeSliceBuild } from '../core/use-cases/complete-slice-build.ts';
import { SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const CompleteInput = SliceStepSchema.extend({ power: z.enum(['on', 'off']) });

/** create-slice's `CompleteSliceBuild` makes the slice active and succeeds its operation. */
export const handler = workflowTask(CompleteInput, async (input, { ports }) => {
  const slice = await completeSliceBuild(ports, input);
  return { status: slice.status, power: slice.power };
});
