import { cleanUpFailedUpload } from '../core/use-cases/clean-up-failed-upload.ts';
import { SnapshotStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * create-snapshot's `CleanUpUpload` removes a failed snapshot's manifest; the chunk collection
 * reclaims the chunks its upload wrote.
 */
export const handler = workflowTask(SnapshotStepSchema, (input, { ports }) =>
  cleanUpFailedUpload(ports, input),
);
