import { z } from 'zod';
import type { WorkflowInput } from '../core/ports/workflow-starter.ts';
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
  }),
});

const WorkflowInputSchema = z.looseObject({ accountId: z.string(), operationId: z.string() });

/** Finishes the operation of an execution that ended outside its `Catch`. */
export const handler = workflowTask(ExecutionStatusChange, async ({ detail }, { ports }) => {
  const input = WorkflowInputSchema.safeParse(JSON.parse(detail.input ?? 'null'));
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
