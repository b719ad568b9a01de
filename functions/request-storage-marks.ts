import { z } from 'zod';
import { requestScheduledStorageMarks } from '../core/use-cases/request-scheduled-storage-marks.ts';
import { logger } from './shared/logger.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** The schedule's event. Whatever it carries, every enrolled account gets a pass. */
const ScheduleEvent = z.unknown();

/** Starts a storage mark pass for every account that has none pending. */
export const handler = workflowTask(ScheduleEvent, async (_event, { ports }) => {
  const report = await requestScheduledStorageMarks(ports);
  if (report.failed.length > 0)
    logger.warn('storage marks requested, with failures', { ...report });
  else logger.info('storage marks requested', { ...report });
  return report;
});
