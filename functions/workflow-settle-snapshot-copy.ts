import { settleSnapshotCopy } from '../core/use-cases/transfer-snapshot-copy.ts';
import { SnapshotDeletionStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** copy-snapshot's `SettleCopy`: whether a sweep of the target region still has to end first. */
export const handler = workflowTask(SnapshotDeletionStepSchema, async (input, { ports }) =>
  settleSnapshotCopy(ports, input),
);
