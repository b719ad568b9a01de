import { keepUndoSnapshot } from '../core/use-cases/keep-undo-snapshot.ts';
import { UndoStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/**
 * restore-slice's `KeepUndoSnapshot` checks the uploaded image of the replaced disk and puts its
 * snapshot into the recycle bin, where the restore's undo finds it.
 */
export const handler = workflowTask(UndoStepSchema, async (input, { ports }) => {
  const kept = await keepUndoSnapshot(ports, input);
  return { status: kept.status, purgeAt: kept.purgeAt };
});
