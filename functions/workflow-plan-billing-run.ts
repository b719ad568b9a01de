import { z } from 'zod';
import { planBillingRun } from '../core/use-cases/plan-billing-run.ts';
import { BillingMonthSchema } from './shared/schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** The billing-run state machine's input: `{}` from the daily schedule, `{ "month": "YYYY-MM" }` by hand. */
const PlanInput = z.strictObject({ month: BillingMonthSchema.optional() });

/**
 * The billing-run state machine's first step picks the month and makes one Map item per partition.
 */
export const handler = workflowTask(PlanInput, (input, { ports }) => planBillingRun(ports, input));
