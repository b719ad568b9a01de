import { z } from 'zod';
import { requestStorageMark } from '../core/use-cases/request-storage-mark.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

const RequestInput = z.object({ accountId: AccountSchema });

/**
 * create-snapshot's and delete-snapshot's `RequestStorageMark`: a mark pass of the account,
 * unless one is pending already.
 */
export const handler = workflowTask(RequestInput, async (input, { ports }) => ({
  started: await requestStorageMark(ports, input),
}));
