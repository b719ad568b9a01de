import { dropUndoSnapshot } from '../core/use-cases/drop-undo-snapshot.ts';
import { CaughtErrorSchema, UndoStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const DropInput = UndoStepSchema.extend({ error: CaughtErrorSchema.nullable() });

/**
 * restore-slice's `DropUndoSnapshot`: the replaced disk could not be kept, so the restore goes on
 * without an undo, and its operation says why.
 */
export const handler = workflowTask(DropInput, (input, { ports }) =>
  dropUndoSnapshot(ports, input),
);
