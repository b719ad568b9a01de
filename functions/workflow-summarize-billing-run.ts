import { z } from 'zod';
import { summarizeBillingRun } from '../core/use-cases/summarize-billing-run.ts';
import { logger } from './shared/logger.ts';
import { BillingMonthSchema } from './shared/schemas.ts';
import { BillingPartitionsSchema, CaughtErrorSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const Count = z.number().int().min(0);

/** A Map item that ran: the part of billing-run's summary the state machine keeps. */
const SucceededRun = z.object({
  partitions: BillingPartitionsSchema,
  accounts: Count,
  unchanged: Count,
  lines: Count,
  total: z.string().regex(/^\d+\.\d{2}$/),
});

/** A Map item that failed after its retries, with the error its `Catch` caught. */
const FailedRun = z.object({ partitions: BillingPartitionsSchema, error: CaughtErrorSchema });

const SummarizeInput = z.strictObject({
  month: BillingMonthSchema,
  status: z.enum(['estimate', 'final']),
  runs: z.array(z.union([FailedRun, SucceededRun])),
});

/** The billing-run state machine's last step: the whole run's summary over its Map items. */
export const handler = workflowTask(SummarizeInput, async (input, { ports }) => {
  const summary = await summarizeBillingRun(ports, input);
  logger.info('billing run summarized', { ...summary });
  return summary;
});
