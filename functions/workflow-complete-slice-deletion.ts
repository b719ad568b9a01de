import { completeSliceDeletion } from '../core/use-cases/complete-slice-deletion.ts';
import { SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** delete-slice's `CompleteSliceDeletion` marks the slice deleted and emits `Slice Deleted`. */
export const handler = workflowTask(SliceStepSchema, async (input, { ports }) => {
  const slice = await completeSliceDeletion(ports, input);
  return { status: slice.status };
});
