import { cleanUpFailedUpload } from '../core/use-cases/clean-up-failed-upload.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** create-snapshot's `CleanUpUpload` removes a failed snapshot's manifest and orphan chunks. */
export const handler = workflowTask(SnapshotStepSchema, (input, { ports }) =>
  cleanUpFailedUpload(ports, input),
);
