import { z } from 'zod';
import { policyRunOutcome } from '../core/policies/policy-run.ts';
import { finishPolicyRun } from '../core/use-cases/finish-policy-run.ts';
import { resourceId } from './shared/schemas.ts';
import { CaughtErrorSchema, PolicyRunStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const SkipReasonSchema = z.enum(['slice-busy', 'slice-gone', 'slice-not-active']);

/** What the Map left for one slice: each step's result, or the error that stopped the slice. */
const SliceResultSchema = z.object({
  sliceId: resourceId('slice'),
  take: z
    .object({ snapshotId: resourceId('snapshot').nullable(), skipped: SkipReasonSchema.nullable() })
    .optional(),
  takeError: CaughtErrorSchema.optional(),
  snapshot: z.object({ status: z.string(), code: z.string().nullable() }).optional(),
  prune: z.object({ pruned: z.array(resourceId('snapshot')) }).optional(),
  pruneError: CaughtErrorSchema.optional(),
});

/** run-policy's `FinishRun`: the whole state, with the Map's results or the error that ended it. */
const FinishInput = PolicyRunStepSchema.extend({
  begin: z.object({ runId: resourceId('policyRun'), sliceIds: z.array(resourceId('slice')) }),
  slices: z.array(SliceResultSchema).optional(),
  error: CaughtErrorSchema.optional(),
});

export const handler = workflowTask(FinishInput, async (input, { ports }) => {
  const run = await finishPolicyRun(ports, {
    accountId: input.accountId,
    policyId: input.policyId,
    runId: input.begin.runId,
    outcome: policyRunOutcome(input.begin.sliceIds, input.slices ?? [], input.error),
  });
  return { runId: run.id, taken: run.taken.length, failed: run.failed.length };
});
