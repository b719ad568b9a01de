import { z } from 'zod';
import { runBilling } from '../core/use-cases/run-billing.ts';
import { logger } from './shared/logger.ts';
import { BillingMonthSchema } from './shared/schemas.ts';
import { BillingPartitionsSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * From the billing-run state machine's fan-out, one partition (or a few) per invocation:
 * `{ "month": "YYYY-MM", "partitions": [3] }`. Invoked by hand, `{ "month": "YYYY-MM" }` or `{}`
 * runs every partition in one invocation.
 */
const BillingRunInput = z.strictObject({
  month: BillingMonthSchema.optional(),
  partitions: BillingPartitionsSchema.optional(),
});

/** The billing run of a month's partitions; returns what it did. */
export const handler = workflowTask(BillingRunInput, async (input, { ports }) => {
  const summary = await runBilling(ports, input);
  logger.info('billing run done', { ...summary });
  return summary;
});
