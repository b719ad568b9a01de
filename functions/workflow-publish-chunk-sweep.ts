import { z } from 'zod';
import { publishChunkSweep } from '../core/use-cases/publish-chunk-sweep.ts';
import { logger } from './shared/logger.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const PublishInput = z.object({ accountId: AccountSchema, markId: resourceId('mark') });

/** storage-mark's `PublishSweep`: the notice of the chunks the pass may delete, before it marks. */
export const handler = workflowTask(PublishInput, async (input, { ports }) => {
  const publication = await publishChunkSweep(ports, input);
  logger.info('sweep published', { ...publication });
  return { accountId: input.accountId, markId: input.markId };
});
