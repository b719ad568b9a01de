import { prunePolicySlice } from '../core/use-cases/prune-policy-snapshots.ts';
import { PolicySliceStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** run-policy's `Prune`: a target slice's snapshots pruned by the policy's rules. */
export const handler = workflowTask(PolicySliceStepSchema, (input, { ports }) =>
  prunePolicySlice(ports, input),
);
