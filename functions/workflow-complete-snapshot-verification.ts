import { z } from 'zod';
import { completeSnapshotVerification } from '../core/use-cases/complete-snapshot-verification.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const CompleteInput = SnapshotDeletionStepSchema.extend({
  damagedChunks: z.number().int().min(0),
  manifestDamaged: z.boolean(),
});

/**
 * verify-snapshot's `CompleteVerification`: the snapshot marked `ok` or `corrupt` (with `Snapshot
 * Corrupt`), the operation succeeded.
 */
export const handler = workflowTask(CompleteInput, async (input, { ports }) => {
  const snapshot = await completeSnapshotVerification(ports, input);
  return { verifyState: snapshot.verifyState, verifiedAt: snapshot.verifiedAt };
});
