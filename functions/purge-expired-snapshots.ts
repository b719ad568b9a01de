import { z } from 'zod';
import { purgeExpiredSnapshots } from '../core/use-cases/purge-expired-snapshots.ts';
import { logger } from './shared/logger.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** The schedule's event. Whatever it carries, the purge looks at what has expired by now. */
const PurgeEvent = z.unknown();

/**
 * Every 15 minutes, deletes for good the recycled snapshots whose time in the recycle bin is up,
 * through the delete-snapshot workflow. One that a restore still reads waits for the next run.
 */
export const handler = workflowTask(PurgeEvent, async (_event, { ports }) => {
  const report = await purgeExpiredSnapshots(ports);
  if (report.failed.length > 0) logger.warn('recycle bin purged, with failures', { ...report });
  else if (report.expired > 0) logger.info('recycle bin purged', { ...report });
  return report;
});
