import { z } from 'zod';
import { finishStorageMark } from '../core/use-cases/finish-storage-mark.ts';
import { logger } from './shared/logger.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FinishInput = z.object({
  accountId: AccountSchema,
  markId: resourceId('mark'),
  asOf: z.iso.datetime(),
});

/** storage-mark's `FinishMark`: stores each snapshot's figures and the account's totals. */
export const handler = workflowTask(FinishInput, async (input, { ports }) => {
  const summary = await finishStorageMark(ports, input);
  logger.info('storage marked', { ...summary });
  return summary;
});
