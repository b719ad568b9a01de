import { failRestore } from '../core/use-cases/fail-restore.ts';
import { CaughtErrorSchema, RestoreStepSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = RestoreStepSchema.extend({
  error: CaughtErrorSchema,
  rollBackError: CaughtErrorSchema.nullish(),
});

/**
 * restore-slice's `FailRestore` unlocks the slice, fails the operation and emits
 * `Slice Restore Failed`.
 */
export const handler = workflowTask(FailInput, async (input, { ports }) => ({
  error: await failRestore(ports, input),
}));
