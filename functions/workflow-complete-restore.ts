import { z } from 'zod';
import { completeRestore } from '../core/use-cases/complete-restore.ts';
import { RestoreStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const CompleteInput = RestoreStepSchema.extend({ usedBytes: z.number().int().min(0) });

/**
 * restore-slice's `CompleteRestore` commits the restore, unlocks the slice and emits `Slice
 * Restored`.
 */
export const handler = workflowTask(CompleteInput, (input, { ports }) =>
  completeRestore(ports, input),
);
