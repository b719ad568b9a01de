import { z } from 'zod';
import { checkPolicySnapshot } from '../core/use-cases/check-policy-snapshot.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** run-policy's `CheckSnapshot`: whether the run's snapshot of a slice is available yet. */
const CheckInput = z.object({ accountId: AccountSchema, snapshotId: resourceId('snapshot') });

export const handler = workflowTask(CheckInput, (input, { ports }) =>
  checkPolicySnapshot(ports, input),
);
