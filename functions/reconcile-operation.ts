import { z } from 'zod';
import type { WorkflowInput } from '../core/ports/workflow-starter.ts';
import { endInterruptedPolicyRun } from '../core/use-cases/finish-policy-run.ts';
import { reconcileOperation } from '../core/use-cases/reconcile-operation.ts';
import { logger } from './shared/logger.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * The `Step Functions Execution Status Change` event of one of the project's executions that
 * ended ABORTED, TIMED_OUT or FAILED (the rule matches nothing else). The execution is named after
 * its operation, and its input names the account.
 */
const ExecutionStatusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    name: z.string(),
    status: z.enum(['ABORTED', 'TIMED_OUT', 'FAILED']),
    input: z.string().nullish(),
    /** Epoch milliseconds. */
    startDate: z.number().optional(),
  }),
});

const WorkflowInputSchema = z.looseObject({ accountId: z.string(), operationId: z.string() });

/** A run-policy execution's input: a policy's run, which is no operation. */
const PolicyRunInputSchema = z.object({
  accountId: z.string(),
  policyId: z.string(),
  runId: z.string().optional(),
});

/** Finishes the operation (or policy run) of an execution that ended outside its `Catch`. */
export const handler = workflowTask(ExecutionStatusChange, async ({ detail }, { ports }) => {
  const executionInput: unknown = JSON.parse(detail.input ?? 'null');
  const policyRun = PolicyRunInputSchema.safeParse(executionInput);
  if (policyRun.success) {
    const run = await endInterruptedPolicyRun(ports, {
      ...policyRun.data,
      executionStartedAt: new Date(detail.startDate ?? 0),
      executionStatus: detail.status,
    });
    if (run) logger.warn('policy run ended', { runId: run.id, executionArn: detail.executionArn });
    return { reconciled: run !== null };
  }
  const input = WorkflowInputSchema.safeParse(executionInput);
  if (!input.success) {
    // Not one of the operations' workflows (the billing run has no operation): nothing to finish.
    logger.info('execution without an operation', { executionArn: detail.executionArn });
    return { reconciled: false };
  }
  const outcome = await reconcileOperation(ports, {
    accountId: input.data.accountId,
    operationId: detail.name,
    executionStatus: detail.status,
    workflowInput: input.data as WorkflowInput,
  });
  if (outcome.reconciled) {
    logger.warn('operation reconciled', { ...outcome, executionArn: detail.executionArn });
  }
  return outcome;
});
