import { takeRunSnapshot } from '../core/use-cases/take-policy-snapshot.ts';
import { PolicyRunSliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** run-policy's `TakeSnapshot`: one target slice's snapshot, or why it is skipped. */
export const handler = workflowTask(PolicyRunSliceStepSchema, (input, { ports }) =>
  takeRunSnapshot(ports, input),
);
