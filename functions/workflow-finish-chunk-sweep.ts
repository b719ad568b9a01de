import { z } from 'zod';
import { endFailedChunkSweep, finishChunkSweep } from '../core/use-cases/finish-chunk-sweep.ts';
import { logger } from './shared/logger.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FinishInput = z.object({
  accountId: AccountSchema,
  markId: resourceId('mark'),
  /** Set on the failure path: the pass failed, so its condemned list is not kept. */
  failed: z.boolean().optional(),
});

/**
 * storage-mark's `FinishSweep` (the condemned list replaced, the notice ended) and, with
 * `failed`, its `EndSweep` (the notice ended, the list left as it was).
 */
export const handler = workflowTask(FinishInput, async (input, { ports }) => {
  if (input.failed) {
    await endFailedChunkSweep(ports, input);
    logger.warn('sweep ended by a failed pass', {
      accountId: input.accountId,
      markId: input.markId,
    });
    return { accountId: input.accountId, markId: input.markId };
  }
  const summary = await finishChunkSweep(ports, input);
  logger.info('sweep finished', { ...summary });
  return summary;
});
