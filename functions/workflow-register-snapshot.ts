import { z } from 'zod';
import { registerSnapshot } from '../core/use-cases/register-snapshot.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** create-snapshot's `RegisterSnapshot` verifies the image and makes the snapshot available. */
const RegisterInput = SnapshotStepSchema.extend({
  upload: z
    .object({ changedBlockTracking: z.boolean(), chunksRead: z.number().int().nonnegative() })
    .optional(),
});

export const handler = workflowTask(RegisterInput, async (input, { ports }) => {
  const snapshot = await registerSnapshot(ports, input);
  return { status: snapshot.status, sizeBytes: snapshot.sizeBytes };
});
