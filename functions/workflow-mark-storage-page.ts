import { z } from 'zod';
import { markStoragePage } from '../core/use-cases/mark-storage-page.ts';
import { resourceId } from './shared/schemas.ts';
import { AccountSchema } from './shared/workflow-schemas.ts';
import { workflowTask } from './shared/workflow-task.ts';

/** storage-mark's `MarkPage`: the pass, and where it stands (nothing yet on the first page). */
const MarkPageInput = z.object({
  accountId: AccountSchema,
  markId: resourceId('mark'),
  asOf: z.iso.datetime().optional(),
  position: z
    .object({ phase: z.enum(['listed', 'recycled']), cursor: z.string().min(1).nullable() })
    .nullable()
    .optional(),
});

/** Marks the chunks of one page of the account's live snapshots into the pass's tally. */
export const handler = workflowTask(MarkPageInput, async (input, { ports }) =>
  markStoragePage(ports, {
    accountId: input.accountId,
    markId: input.markId,
    ...(input.asOf === undefined ? {} : { asOf: input.asOf }),
    ...(input.position ? { position: input.position } : {}),
  }),
);
