import { z } from 'zod';
import { COMMAND_TYPES } from '../../agent/protocol/commands.ts';
import { BILLING_PARTITIONS } from '../../core/billing/partitions.ts';
import { resourceId } from './schemas.ts';

/** Every workflow input carries the account and the operation it carries out. */
export const AccountSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

/** The slice a create-slice step works on. */
export const SliceStepSchema = z.object({
  accountId: AccountSchema,
  sliceId: resourceId('slice'),
  operationId: resourceId('operation'),
});

/** The snapshot a create-snapshot step works on, its slice and its operation. */
export const SnapshotStepSchema = z.object({
  accountId: AccountSchema,
  sliceId: resourceId('slice'),
  snapshotId: resourceId('snapshot'),
  operationId: resourceId('operation'),
});

/** The snapshot a restore reads, beside its slice and operation. */
export const RestoreStepSchema = SliceStepSchema.extend({ snapshotId: resourceId('snapshot') });

/** The snapshot a delete-snapshot or verify-snapshot step works on, and its operation. */
export const SnapshotDeletionStepSchema = z.object({
  accountId: AccountSchema,
  snapshotId: resourceId('snapshot'),
  operationId: resourceId('operation'),
});

/** A `Catch`'s error object (`ResultPath: $.error`): the error name and its cause. */
export const CaughtErrorSchema = z.object({
  Error: z.string().min(1),
  Cause: z.string().nullish(),
});

/** Billing partitions a billing run item covers: at least one, each `0` to `BILLING_PARTITIONS - 1`. */
export const BillingPartitionsSchema = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(BILLING_PARTITIONS - 1),
  )
  .min(1);

const CommandParamSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()),
]);

/** An agent command as an ASL task writes it: `type` and the command's own parameters. */
export const AgentCommandSchema = z
  .object({
    type: z.string().refine((type) => (COMMAND_TYPES as readonly string[]).includes(type), {
      message: `must be one of ${COMMAND_TYPES.join(', ')}`,
    }),
  })
  .catchall(CommandParamSchema);

/** A restore's step on the snapshot that keeps the disk it replaces. */
export const UndoStepSchema = SliceStepSchema.extend({ undoSnapshotId: resourceId('snapshot') });

/** The policy a run-policy step works for. */
export const PolicyRunStepSchema = z.object({
  accountId: AccountSchema,
  policyId: resourceId('policy'),
});

/** One target slice of a policy's run. */
export const PolicySliceStepSchema = PolicyRunStepSchema.extend({ sliceId: resourceId('slice') });

/** One target slice of a policy's run, with the run. */
export const PolicyRunSliceStepSchema = PolicySliceStepSchema.extend({
  runId: resourceId('policyRun'),
});
