import { z } from 'zod';
import { sweepChunkPages } from '../core/use-cases/sweep-chunk-pages.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const SweepInput = z.object({
  accountId: AccountSchema,
  markId: resourceId('mark'),
  asOf: z.iso.datetime(),
});

/** storage-mark's `SweepChunks`: judges pages of the account's chunks, deleting what it may. */
export const handler = workflowTask(SweepInput, async (input, { ports }) =>
  sweepChunkPages(ports, input),
);
