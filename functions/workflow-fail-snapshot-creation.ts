import { failSnapshotCreation } from '../core/use-cases/fail-snapshot-creation.ts';
import { CaughtErrorSchema, SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = SnapshotStepSchema.extend({ error: CaughtErrorSchema });

/**
 * create-snapshot's `FailSnapshot` fails the snapshot with a reason, unlocks the slice and emits
 * `Snapshot Failed`.
 */
export const handler = workflowTask(FailInput, (input, { ports }) =>
  failSnapshotCreation(ports, input),
);
