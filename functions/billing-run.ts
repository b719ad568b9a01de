import { z } from 'zod';
import { BILLING_PARTITIONS } from '../core/billing/partitions.ts';
import { runBilling } from '../core/use-cases/run-billing.ts';
import { logger } from './shared/logger.ts';
import { BillingMonthSchema } from './shared/schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * `{}` from the daily schedule; by hand `{ "month": "YYYY-MM" }`; from a fan-out, one partition
 * (or a few) per invocation: `{ "month": "YYYY-MM", "partitions": [3] }`.
 */
const BillingRunInput = z.strictObject({
  month: BillingMonthSchema.optional(),
  partitions: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(BILLING_PARTITIONS - 1),
    )
    .min(1)
    .optional(),
});

/** The billing run (scheduled daily, or started by hand for a month); returns what it did. */
export const handler = workflowTask(BillingRunInput, async (input, { ports }) => {
  const summary = await runBilling(ports, input);
  logger.info('billing run done', { ...summary });
  return summary;
});
