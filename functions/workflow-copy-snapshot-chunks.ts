import { z } from 'zod';
import { copySnapshotChunks } from '../core/use-cases/transfer-snapshot-copy.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const Count = z.number().int().min(0);

const CopyInput = SnapshotDeletionStepSchema.extend({
  transfer: z.object({
    next: Count,
    chunks: Count,
    bytesCopied: Count,
    bytesToTransfer: Count,
    done: z.boolean(),
  }),
});

/** copy-snapshot's `CopyChunks`: the next page of chunks, copied by the stores themselves. */
export const handler = workflowTask(CopyInput, async (input, { ports }) =>
  copySnapshotChunks(ports, input),
);
