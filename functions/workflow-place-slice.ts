import { placeSlice } from '../core/use-cases/place-slice.ts';
import { SliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** create-slice's `PlaceSlice` puts the slice on the least-loaded host of its region. */
export const handler = workflowTask(SliceStepSchema, (input, { ports }) =>
  placeSlice(ports, input),
);
