import { z } from 'zod';
import { verifyStaleSnapshots } from '../core/use-cases/verify-stale-snapshots.ts';
import { logger } from './shared/logger.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** The schedule's event. Whatever it carries, the run looks at what is due by now. */
const ScheduleEvent = z.unknown();

/** Every hour, reads back a few snapshots that have gone 30 days unchecked. */
export const handler = workflowTask(ScheduleEvent, async (_event, { ports }) => {
  const report = await verifyStaleSnapshots(ports);
  if (report.failed.length > 0)
    logger.warn('stale snapshots verified, with failures', { ...report });
  else if (report.started.length > 0) logger.info('stale snapshots verified', { ...report });
  return report;
});
