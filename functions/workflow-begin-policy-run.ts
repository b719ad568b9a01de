import { beginPolicyRun } from '../core/use-cases/begin-policy-run.ts';
import { resourceId } from './shared/schemas.ts';
import { PolicyRunStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** run-policy's `BeginRun`: the run begun by the API, or the schedule's run begun now. */
const BeginInput = PolicyRunStepSchema.extend({ runId: resourceId('policyRun').optional() });

export const handler = workflowTask(BeginInput, (input, { ports }) => beginPolicyRun(ports, input));
