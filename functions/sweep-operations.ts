import { z } from 'zod';
import { endOverduePolicyRuns } from '../core/use-cases/finish-policy-run.ts';
import { sweepOperations } from '../core/use-cases/sweep-operations.ts';
import { logger } from './shared/logger.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** The schedule's event: whatever it carries, the sweep looks at every running operation. */
const SweepEvent = z.unknown();

/**
 * Every 5 minutes: reconciles running operations whose execution ended without an event, and
 * ends the policy runs still running past their hold.
 */
export const handler = workflowTask(SweepEvent, async (_event, { ports }) => {
  const report = await sweepOperations(ports);
  if (report.reconciled.length > 0 || report.failed.length > 0) {
    logger.warn('operations swept', { ...report });
  }
  const overdueRuns = await endOverduePolicyRuns(ports);
  if (overdueRuns.length > 0) logger.warn('overdue policy runs ended', { overdueRuns });
  return { ...report, overdueRuns };
});
