import { z } from 'zod';
import { failFinalSnapshot } from '../core/use-cases/fail-final-snapshot.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema, CaughtErrorSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const FailInput = z.object({
  accountId: AccountSchema,
  snapshotId: resourceId('snapshot'),
  operationId: resourceId('operation'),
  error: CaughtErrorSchema.nullable(),
});

/** delete-slice's `FailFinalSnapshot`: the slice was not deleted, and its final snapshot fails. */
export const handler = workflowTask(FailInput, (input, { ports }) =>
  failFinalSnapshot(ports, input),
);
