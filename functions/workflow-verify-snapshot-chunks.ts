import { z } from 'zod';
import { verifySnapshotChunks } from '../core/use-cases/verify-snapshot-chunks.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const VerifyInput = SnapshotDeletionStepSchema.extend({
  next: z.number().int().min(0),
  damagedChunks: z.number().int().min(0),
});

/** verify-snapshot's `VerifyChunks`: reads the next page of the image's chunks back. */
export const handler = workflowTask(VerifyInput, async (input, { ports }) =>
  verifySnapshotChunks(ports, input),
);
