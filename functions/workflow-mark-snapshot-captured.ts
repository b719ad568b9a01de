import { z } from 'zod';
import { markSnapshotCaptured } from '../core/use-cases/mark-snapshot-captured.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const CapturedInput = SnapshotStepSchema.extend({
  capturePower: z.enum(['on', 'off']),
  poweredOff: z.boolean(),
  lockedAt: z.iso.datetime(),
  shutdown: z.enum(['graceful', 'forced', 'none']).optional(),
  frozen: z.boolean().optional(),
  changedBlockTracking: z.boolean().optional(),
});

/**
 * create-snapshot's `MarkCaptured` moves the snapshot to `uploading`, with its consistency and
 * downtime.
 */
export const handler = workflowTask(CapturedInput, async (input, { ports }) => {
  const snapshot = await markSnapshotCaptured(ports, input);
  return { status: snapshot.status, consistency: snapshot.consistency };
});
