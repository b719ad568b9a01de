import { planSnapshotCopy } from '../core/use-cases/transfer-snapshot-copy.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** copy-snapshot's `PlanCopy`: what the copy will transfer, before a byte moves. */
export const handler = workflowTask(SnapshotDeletionStepSchema, async (input, { ports }) =>
  planSnapshotCopy(ports, input),
);
