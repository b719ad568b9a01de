import { prepareUndoCapture } from '../core/use-cases/prepare-undo-capture.ts';
import { UndoStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * restore-slice's `PrepareUndoCapture` registers the upload of the disk the restore replaces and
 * picks the snapshots it builds on.
 */
export const handler = workflowTask(UndoStepSchema, (input, { ports }) =>
  prepareUndoCapture(ports, input),
);
