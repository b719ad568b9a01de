import { z } from 'zod';
import { MAX_LABEL_SELECTOR_LENGTH } from '../../core/labels/label-selector.ts';
import {
  LABEL_KEY_PATTERN,
  LABEL_KEY_RULE,
  LABEL_VALUE_PATTERN,
  LABEL_VALUE_RULE,
  MAX_LABELS,
} from '../../core/labels/labels.ts';
import { OPERATION_TYPES } from '../../core/operations/operation-type.ts';
import { MAX_RECORDS_EXAMINED } from '../../core/pagination/selected-page.ts';
import { SCHEDULE_INTERVALS, TIME_OF_DAY_PATTERN } from '../../core/policies/policy-schedule.ts';
import { MAX_RETAINED_PER_RULE, RETENTION_RULES } from '../../core/policies/retention-rules.ts';
import { MAX_POLICY_SLICE_IDS } from '../../core/policies/snapshot-policy.ts';
import {
  DEFAULT_RECYCLE_BIN_DAYS,
  MAX_RECYCLE_BIN_DAYS,
} from '../../core/settings/account-settings.ts';
import { ERROR_CODES, FAILURE_CODES } from '../../core/shared/error-codes.ts';
import { ID_PREFIX, isResourceId, type ResourceKind } from '../../core/shared/ids.ts';
import { nameIssues } from '../../core/shared/names.ts';
import { MAX_DISK_GB } from '../../core/slices/disk-size.ts';
import { SNAPSHOT_STATUSES } from '../../core/snapshots/snapshot-status.ts';

/** RFC 9457 problem details, as every error answers. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES).meta({
      description:
        'What went wrong, as a stable upper snake case code: branch on it, never on `detail`. ' +
        "The README's error table says what each means and what to do.",
    }),
    operationId: z
      .string()
      .optional()
      .meta({
        description:
          'The operation in the way (SLICE_BUSY, SNAPSHOT_IN_USE): follow it at ' +
          '`GET /v1/operations/{operationId}` and try again once it has ended',
      }),
    operationType: z
      .enum(OPERATION_TYPES)
      .optional()
      .meta({ description: 'The type of the operation in the way' }),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

/** A resource id of one kind: its prefix, then a ULID. */
export function resourceId(kind: ResourceKind) {
  return z
    .string()
    .refine((value) => isResourceId(kind, value), {
      message: `must be a ${kind} id (${ID_PREFIX[kind]} followed by 26 ULID characters)`,
    })
    .meta({ example: `${ID_PREFIX[kind]}01JD3QY8W7T2B6G0ZC4M9X5K1E` });
}

/** A user-given name: 1–255 printable characters once trimmed (the core's rule). */
export const NameSchema = z
  .string()
  .superRefine((value, context) => {
    for (const issue of nameIssues(value))
      context.addIssue({ code: 'custom', message: issue.message });
  })
  .meta({ description: '1–255 printable characters; surrounding white space is trimmed' });

export const DiskGbSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_DISK_GB)
  .meta({ description: `Disk size in GiB, a whole number from 1 to ${MAX_DISK_GB}` });

const LabelValueSchema = z.string().regex(LABEL_VALUE_PATTERN, `value ${LABEL_VALUE_RULE}`);
const labelKeyError = (issue: { code?: string }) =>
  issue.code === 'invalid_key' ? `key ${LABEL_KEY_RULE}` : undefined;
const LABELS_EXAMPLE = { env: 'prod', 'team.example/owner': 'web' };

/** Labels as every resource shows them. */
export const LabelsSchema = z.record(z.string(), z.string()).meta({
  id: 'Labels',
  description: `Up to ${MAX_LABELS} key–value pairs; keys ${LABEL_KEY_RULE}; values ${LABEL_VALUE_RULE}`,
  example: LABELS_EXAMPLE,
});

/** A full set of labels, as given when a resource is created. */
export const LabelsInputSchema = z
  .record(z.string().regex(LABEL_KEY_PATTERN), LabelValueSchema, { error: labelKeyError })
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, {
    message: `must hold at most ${MAX_LABELS} labels`,
  })
  .meta({
    description: `Up to ${MAX_LABELS} labels; keys ${LABEL_KEY_RULE}; values ${LABEL_VALUE_RULE}`,
    maxProperties: MAX_LABELS,
    example: LABELS_EXAMPLE,
  });

/** A change to labels: merged into the resource's labels, a key set to null removed. */
export const LabelChangesSchema = z
  .record(z.string().regex(LABEL_KEY_PATTERN), LabelValueSchema.nullable(), {
    error: labelKeyError,
  })
  .meta({
    id: 'LabelChanges',
    description:
      `Merged into the current labels: a key set to a value is set, a key set to null is removed, ` +
      `every other label is kept. At most ${MAX_LABELS} labels may remain.`,
    example: { env: 'staging', legacy: null },
  });

/** `?labelSelector=` of the lists. */
export const LabelSelectorQuerySchema = z
  .string()
  .max(MAX_LABEL_SELECTOR_LENGTH)
  .meta({
    description:
      "Only what these labels select, in Hetzner's grammar: `k==v` (or `k=v`), `k!=v`, `k`, `!k`, " +
      '`k in (a,b)`, `k notin (a,b)`, joined by commas (AND). A resource without the key meets ' +
      `\`!=\` and \`notin\`. A page then reads at most ${MAX_RECORDS_EXAMINED} records: it may hold fewer than \`limit\` ` +
      'items, even none, with a `nextCursor` to go on.',
    example: 'env==prod,tier in (gold,silver),!legacy',
  });

const IsoTime = z.iso.datetime();
/** A duration in seconds with millisecond precision (3 decimals at most). */
const Seconds = (description: string) =>
  z.number().nonnegative().meta({ description, example: 0.431 });
const FailureSchema = z
  .object({
    code: z.enum(FAILURE_CODES).meta({
      description:
        'The code of the error that ended the work, or how its workflow ended; ' +
        "the README's error tables say what each means",
    }),
    message: z.string(),
  })
  .meta({ id: 'Failure' });
const ProgressSchema = z
  .object({
    percent: z.number(),
    bytesDone: z.number().int(),
    bytesTotal: z.number().int(),
    elapsedSeconds: Seconds('Seconds since the work began, or until it ended'),
    etaSeconds: z.number().nullable().meta({
      description: 'Whole seconds left, estimated; null when unknown and while stalled',
    }),
    stalledSeconds: Seconds(
      'Seconds since bytes last moved, once that is over 30 s (the work has stalled); 0 while they move',
    ),
  })
  .meta({ id: 'Progress' });

export const RegionSchema = z
  .object({ id: z.string().meta({ example: 'fra1' }), name: z.string() })
  .meta({ id: 'Region' });
export const RegionListSchema = z
  .object({ items: z.array(RegionSchema) })
  .meta({ id: 'RegionList' });

export const SliceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    region: z.string(),
    status: z.enum(['building', 'active', 'busy', 'error', 'deleted']),
    power: z.enum(['on', 'off']),
    diskGB: z.number(),
    diskBytes: z.number().int(),
    usedBytes: z.number().int(),
    createdAt: IsoTime,
    fromSnapshotId: z.string().nullable(),
    labels: LabelsSchema,
    deleteProtected: z.boolean().meta({
      description: 'While true, DELETE /v1/slices/{id} answers 409 (code SLICE_DELETE_PROTECTED)',
    }),
  })
  .meta({ id: 'Slice' });

export const SnapshotSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    region: z.string(),
    status: z.enum(SNAPSHOT_STATUSES),
    sliceId: z.string(),
    sliceName: z.string(),
    sizeBytes: z.number().int(),
    sizeGB: z.number(),
    diskBytes: z.number().int(),
    consistency: z.enum(['powered-off', 'fs-frozen', 'crash-consistent']).nullable(),
    captureInfo: z
      .object({
        shutdown: z.enum(['graceful', 'forced', 'none']),
        changedBlockTracking: z.boolean(),
        chunksRead: z.number().int().nullable(),
      })
      .nullable()
      .meta({
        description:
          'How the capture was made: how the guest went down, and whether the upload read only the chunks written since the previous snapshot (changed-block tracking).',
      }),
    createdAt: IsoTime,
    completedAt: IsoTime.nullable(),
    durationSeconds: Seconds(
      'Seconds from the request to available; null until available',
    ).nullable(),
    downtimeSeconds: Seconds(
      'Seconds the slice was powered off for it: 0 only when it never was; null until the capture point is fixed',
    ).nullable(),
    purgeAt: IsoTime.nullable().meta({
      description:
        'While `recycled`: when the recycle bin deletes it for good (recover it before then); null otherwise',
    }),
    monthlyCost: z.object({ amount: z.string(), currency: z.literal('USD') }),
    storedBytes: z.number().int().nullable().meta({
      description:
        'Stored (compressed) bytes of the distinct chunks its image names, as of the latest storage count; null until first counted',
    }),
    exclusiveBytes: z.number().int().nullable().meta({
      description:
        'Stored bytes no other live snapshot of the account names: what deleting it for good frees; null until first counted',
    }),
    costToDate: z
      .object({ amount: z.string(), currency: z.literal('USD') })
      .meta({ description: 'What it has cost so far this month (UTC)' }),
    progress: ProgressSchema,
    error: FailureSchema.nullable(),
    labels: LabelsSchema,
    protected: z.boolean().meta({
      description:
        'While true, nothing deletes the snapshot: DELETE answers 409 (code SNAPSHOT_PROTECTED)',
    }),
    policyId: z.string().nullable().meta({
      description: 'The snapshot policy that took it; null when it was asked for by hand',
    }),
    verifyState: z.enum(['unverified', 'ok', 'corrupt']).meta({
      description:
        'What the latest verification (`POST /v1/snapshots/{id}/verify`) found: `ok`, every chunk stored and matching its hash; `corrupt`, one missing or damaged (restores refuse it, code `SNAPSHOT_CORRUPT`); `unverified` until one has run',
    }),
    verifiedAt: IsoTime.nullable().meta({
      description: 'When the latest verification ended; null until one has',
    }),
    copiedFrom: z.object({ snapshotId: z.string(), region: z.string() }).nullable().meta({
      description:
        'The snapshot (and its region) this one is a copy of (`POST /v1/snapshots/{id}/copy`); null when it was taken of a slice. A copy is independent: it outlives its source and is billed on its own',
    }),
  })
  .meta({ id: 'Snapshot' });

export const OperationSchema = z
  .object({
    id: z.string(),
    type: z.enum(OPERATION_TYPES),
    status: z.enum(['running', 'succeeded', 'failed']),
    resourceType: z.enum(['slice', 'snapshot']),
    resourceId: z.string(),
    startedAt: IsoTime,
    finishedAt: IsoTime.nullable(),
    elapsedSeconds: Seconds('Seconds since it started, or until it finished'),
    progress: ProgressSchema,
    error: FailureSchema.nullable(),
    undoSnapshotId: z.string().nullable().optional().meta({
      description:
        'A `slice.restore` only: the snapshot (in the recycle bin) that keeps the disk the restore replaced, which `POST /v1/operations/{id}/undo` restores; null when the restore keeps none (`keepCurrent: false`) or could not keep it (`undoError` says why)',
    }),
    undoUntil: IsoTime.nullable().optional().meta({
      description:
        "A `slice.restore` only: until when the restore can be undone (the kept snapshot's `purgeAt`); null until the replaced disk is kept, and when it is not",
    }),
    finalSnapshotId: z.string().nullable().optional().meta({
      description:
        'A `slice.delete` only: the final snapshot it takes before the disk goes (`?finalSnapshot=true`); null without one',
    }),
    bytesToTransfer: z.number().int().nullable().optional().meta({
      description:
        'A `snapshot.copy` only: the stored bytes of the chunks the target region lacks, which the copy transfers (chunks the region holds already are not sent again); null until the copy has looked, before its first byte moves. `progress` counts toward it',
    }),
    undoError: FailureSchema.nullable().optional().meta({
      description:
        'A `slice.restore` only: why a restore that was to keep the replaced disk could not keep it (the restore itself succeeded); null otherwise',
    }),
  })
  .meta({ id: 'Operation' });

/** `?limit=&cursor=` of every list. */
export const PageQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Items per page, 1–100 (default 50)' }),
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .meta({ description: 'The nextCursor of the previous page' }),
});

export const SnapshotChangesSchema = z
  .object({
    changedBytes: z.number().int().meta({
      description:
        'Bytes in all the changed ranges of the whole comparison, not only this page: the same on every page',
    }),
    ranges: z
      .array(
        z
          .object({
            offset: z.number().int().meta({ description: 'The first byte of the range' }),
            length: z.number().int().meta({ description: 'Bytes in the range, at least 1' }),
          })
          .meta({ id: 'ByteRange' }),
      )
      .meta({
        description:
          'The changed ranges of this page, by offset: whole chunks (4 MiB, the last one cut at the end of the disk), adjacent ones merged, none touching another',
      }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SnapshotChanges' });

export function listOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

export const CreateSliceBodySchema = z
  .strictObject({
    name: NameSchema,
    region: z.string().min(1).max(64),
    diskGB: DiskGbSchema,
    snapshotId: resourceId('snapshot').nullable().optional(),
    labels: LabelsInputSchema.optional(),
  })
  .meta({ id: 'CreateSliceRequest' });

export const UpdateSliceBodySchema = z
  .strictObject({
    name: NameSchema.optional(),
    labels: LabelChangesSchema.optional(),
    deleteProtected: z.boolean().optional().meta({
      description: 'true: the slice cannot be deleted until this is false again',
    }),
  })
  .meta({ id: 'UpdateSliceRequest' });

export const UpdateSnapshotBodySchema = z
  .strictObject({
    name: NameSchema.optional(),
    labels: LabelChangesSchema.optional(),
    protected: z.boolean().optional().meta({
      description:
        'true: nothing deletes the snapshot (DELETE, a purge, a retention rule) until this is false again',
    }),
  })
  .meta({ id: 'UpdateSnapshotRequest' });

export const CreateSnapshotBodySchema = z
  .strictObject({
    name: NameSchema.optional().meta({
      description: 'Default: `<slice name>-<unix seconds>`',
    }),
    powerOff: z.boolean().optional().meta({
      description:
        'Power the slice off for the capture (a powered-off, consistent image), then on again at once. Default true; false takes a crash-consistent image of the running slice.',
    }),
    labels: LabelsInputSchema.optional(),
  })
  .meta({ id: 'CreateSnapshotRequest' });

export const CopySnapshotBodySchema = z
  .strictObject({
    region: z.string().min(1).max(64).meta({
      description:
        "The region the copy goes to: one this deployment serves, not the snapshot's own",
    }),
    name: NameSchema.optional().meta({ description: "The copy's name. Default: the snapshot's" }),
  })
  .meta({ id: 'CopySnapshotRequest' });

const KeepCurrentSchema = z.boolean().meta({
  description:
    'Keep the disk this replaces as a snapshot in the recycle bin (named `<slice>-before-restore-<unix seconds>`, labelled `slice-snapshots/auto=pre-restore`, never billed), so that the operation can be undone. Default true',
});

export const RestoreSnapshotBodySchema = z
  .strictObject({
    sliceId: resourceId('slice').optional().meta({
      description:
        "The slice whose disk is replaced: same account and region, a disk at least the snapshot's `diskBytes`. Default: the snapshot's own slice",
    }),
    confirm: z
      .literal(true, {
        error: "must be true: a restore replaces all data on the slice's disk with the snapshot's",
      })
      .meta({ description: "Required: a restore replaces all data on the slice's disk" }),
    keepCurrent: KeepCurrentSchema.optional(),
  })
  .meta({ id: 'RestoreSnapshotRequest' });

export const UndoRestoreBodySchema = z
  .strictObject({
    confirm: z
      .literal(true, {
        error:
          "must be true: an undo replaces all data on the slice's disk with the disk the restore replaced",
      })
      .meta({ description: "Required: an undo replaces all data on the slice's disk" }),
    keepCurrent: KeepCurrentSchema.optional(),
  })
  .meta({ id: 'UndoRestoreRequest' });

export const RecycleBinDaysSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_RECYCLE_BIN_DAYS)
  .meta({
    description: `Days a deleted snapshot stays in the recycle bin, recoverable and not billed, before it is deleted for good: a whole number from 0 to ${MAX_RECYCLE_BIN_DAYS} (default ${DEFAULT_RECYCLE_BIN_DAYS}); 0 turns the bin off and deletion is immediate`,
    example: DEFAULT_RECYCLE_BIN_DAYS,
  });

export const SettingsSchema = z
  .object({ recycleBinDays: RecycleBinDaysSchema })
  .meta({ id: 'Settings' });

export const UpdateSettingsBodySchema = z
  .strictObject({ recycleBinDays: RecycleBinDaysSchema.optional() })
  .meta({ id: 'UpdateSettingsRequest' });

export const SlicePowerBodySchema = z
  .strictObject({
    state: z.enum(['on', 'off']).meta({
      description: '`off` shuts the guest down gracefully, then cuts the power after a timeout',
    }),
  })
  .meta({ id: 'SlicePowerRequest' });

export const OperationAcceptedSchema = z
  .object({ operation: OperationSchema })
  .meta({ id: 'OperationAccepted' });

export const SnapshotWithOperationSchema = z
  .object({ snapshot: SnapshotSchema, operation: OperationSchema })
  .meta({ id: 'SnapshotAccepted' });

export const SliceWithOperationSchema = z
  .object({ slice: SliceSchema, operation: OperationSchema })
  .meta({ id: 'SliceAccepted' });

/** A calendar month in UTC, `YYYY-MM`: the billing period. */
export const BillingMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
  .meta({ description: 'A calendar month in UTC, YYYY-MM', example: '2026-03' });

export const ChargesSchema = z
  .object({
    month: BillingMonthSchema,
    status: z.enum(['estimate', 'final']).meta({
      description:
        '`final` once the billing run after month end has run; before that, and for the current month (month to date), an estimate computed live',
    }),
    currency: z.literal('USD'),
    ratePerGBMonth: z.string().meta({ example: '0.05' }),
    lines: z.array(
      z
        .object({
          snapshotId: z.string(),
          name: z.string(),
          sizeGB: z.number(),
          from: IsoTime,
          to: IsoTime,
          amount: z.string().meta({ example: '2.00' }),
        })
        .meta({ id: 'ChargeLine' }),
    ),
    total: z.string().meta({ description: 'The sum of the lines', example: '2.00' }),
  })
  .meta({ id: 'Charges' });

const PolicyScheduleSchema = z
  .union([
    z.strictObject({
      every: z.enum(SCHEDULE_INTERVALS).meta({
        description:
          'How often: every N hours on the hours counted from `at`, daily, or weekly on Mondays',
      }),
      at: z
        .string()
        .regex(TIME_OF_DAY_PATTERN, 'must be a time of day HH:MM (UTC)')
        .optional()
        .meta({
          description: 'Time of day of the runs, HH:MM UTC (default 00:00)',
          example: '02:30',
        }),
    }),
    z.strictObject({
      cron: z
        .string()
        .min(1)
        .max(256)
        .meta({
          description:
            "EventBridge Scheduler's cron(minutes hours day-of-month month day-of-week year), UTC; " +
            'a single minute (nothing more often than hourly)',
          example: 'cron(15 3 ? * MON-FRI *)',
        }),
    }),
  ])
  .meta({ id: 'PolicySchedule' });

const PolicyTargetSchema = z
  .union([
    z.strictObject({
      sliceIds: z
        .array(resourceId('slice'))
        .min(1)
        .max(MAX_POLICY_SLICE_IDS)
        .meta({
          description: `1 to ${MAX_POLICY_SLICE_IDS} slices of the account`,
        }),
    }),
    z.strictObject({
      sliceSelector: LabelSelectorQuerySchema.meta({
        description:
          "A label selector (the lists' grammar), evaluated at each run: a slice labelled later is picked up",
        example: 'env==prod',
      }),
    }),
  ])
  .meta({ id: 'PolicyTarget' });

const RetainCountSchema = z.number().int().min(0).max(MAX_RETAINED_PER_RULE);

const PolicyRetainSchema = z
  .strictObject(
    Object.fromEntries(
      RETENTION_RULES.map((rule) => [rule, RetainCountSchema.optional()]),
    ) as Record<(typeof RETENTION_RULES)[number], z.ZodOptional<typeof RetainCountSchema>>,
  )
  .refine((retain) => Object.values(retain).some((count) => (count ?? 0) > 0), {
    message: `must keep something: at least one of ${RETENTION_RULES.join(', ')} above 0`,
  })
  .meta({
    id: 'PolicyRetain',
    description:
      "Proxmox Backup Server's prune rules, applied in this order in UTC: the last N snapshots, then " +
      'the newest of each of N hours, days, ISO weeks, months, years that hold one. A snapshot kept by ' +
      'a rule is not counted by a later one; a protected one is never pruned.',
    example: { last: 3, daily: 7, weekly: 4 },
  });

const OnSliceDeletedSchema = z.enum(['keep', 'apply']).meta({
  description:
    '`keep` (default): once a slice is deleted the policy leaves its snapshots alone; `apply`: it goes on pruning them',
});

export const PolicySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    schedule: PolicyScheduleSchema,
    target: PolicyTargetSchema,
    retain: PolicyRetainSchema,
    powerOff: z.boolean(),
    labels: LabelsSchema,
    onSliceDeleted: OnSliceDeletedSchema,
    nextRunAt: IsoTime.nullable().meta({
      description: 'The next scheduled run; null while disabled',
    }),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'SnapshotPolicy' });

export const CreatePolicyBodySchema = z
  .strictObject({
    name: NameSchema,
    enabled: z.boolean().optional().meta({ description: 'Default true' }),
    schedule: PolicyScheduleSchema,
    target: PolicyTargetSchema,
    retain: PolicyRetainSchema,
    powerOff: z.boolean().optional().meta({
      description:
        'Power the slice off for each snapshot; default false (a schedule never takes a machine down unless asked)',
    }),
    labels: LabelsInputSchema.optional().meta({
      description: 'Put on every snapshot it takes, beside `slice-snapshots/policy=<id>`',
    }),
    onSliceDeleted: OnSliceDeletedSchema.optional(),
  })
  .meta({ id: 'CreateSnapshotPolicyRequest' });

export const UpdatePolicyBodySchema = z
  .strictObject({
    name: NameSchema.optional(),
    enabled: z.boolean().optional(),
    schedule: PolicyScheduleSchema.optional(),
    target: PolicyTargetSchema.optional(),
    retain: PolicyRetainSchema.optional(),
    powerOff: z.boolean().optional(),
    labels: LabelsInputSchema.optional().meta({ description: 'Replaces the labels whole' }),
    onSliceDeleted: OnSliceDeletedSchema.optional(),
  })
  .meta({ id: 'UpdateSnapshotPolicyRequest' });

const SimulationDaysSchema = z.number().int().min(1).max(90).optional().meta({
  description: 'Days to look ahead, 1–90 (default 30)',
  example: 40,
});

export const SimulatePolicyBodySchema = z
  .strictObject({ days: SimulationDaysSchema })
  .meta({ id: 'SimulateSnapshotPolicyRequest' });

export const SimulateUnsavedPolicyBodySchema = CreatePolicyBodySchema.extend({
  days: SimulationDaysSchema,
}).meta({ id: 'SimulateUnsavedSnapshotPolicyRequest' });

export const PolicyRunSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    status: z.enum(['running', 'finished']),
    startedAt: IsoTime,
    finishedAt: IsoTime.nullable(),
    taken: z.array(z.object({ sliceId: z.string(), snapshotId: z.string() })),
    skipped: z.array(
      z.object({
        sliceId: z.string(),
        reason: z.enum(['slice-busy', 'slice-gone', 'slice-not-active']),
      }),
    ),
    pruned: z.array(z.string()).meta({ description: 'Snapshots pruned into the recycle bin' }),
    failed: z.array(z.object({ sliceId: z.string(), code: z.string() })),
    error: z.object({ code: z.string(), message: z.string() }).nullable().meta({
      description:
        'Why the run ended before it went through its slices (its workflow stopped, timed out or failed); null otherwise',
    }),
  })
  .meta({ id: 'PolicyRun' });

const MoneySchema = z.object({ amount: z.string(), currency: z.literal('USD') });

export const SnapshotQuoteSchema = z
  .object({
    sizeBytes: z.number().int().meta({
      description:
        "Bytes of the disk's chunks that hold data (holes skipped), as the host scanned it now: what the snapshot would be billed on",
    }),
    monthlyCost: MoneySchema.meta({ description: 'A full month of it at $0.05 per GiB-month' }),
    newBytes: z.number().int().nullable().meta({
      description:
        "Bytes written since the slice's last snapshot, what an incremental snapshot would upload, where the hypervisor tracks changed blocks; null where it does not",
    }),
    durationSeconds: z.number().int().meta({
      description:
        "How long the snapshot would take, from the host's measured pace (the pessimistic 2 GB a minute before it measured one)",
    }),
    downtimeSeconds: z.number().int().meta({
      description:
        'How long the slice would be off: 0 unless powered off first, then the shutdown and the capture (it may run again while the upload goes on)',
    }),
  })
  .meta({ id: 'SnapshotQuote' });

const SimulatedSnapshotSchema = z
  .object({
    snapshotId: z.string().nullable().meta({
      description: 'Null for a snapshot a run of the window would take',
    }),
    createdAt: IsoTime,
    sizeBytes: z.number().int(),
    decision: z.enum(['keep', 'protected', 'prune']).meta({
      description: '`prune`: the next run prunes it (into the recycle bin)',
    }),
    rule: z.enum(RETENTION_RULES).optional().meta({ description: 'The rule that keeps it' }),
  })
  .meta({ id: 'SimulatedSnapshot' });

const SliceOutlookSchema = z.object({
  snapshots: z.array(SimulatedSnapshotSchema),
  monthlyCost: MoneySchema,
});

export const PolicySimulationSchema = z
  .object({
    policyId: z.string().nullable(),
    window: z.object({ from: IsoTime, to: IsoTime }),
    runs: z.array(IsoTime),
    slices: z.array(
      z.object({
        sliceId: z.string(),
        sliceName: z.string().nullable(),
        status: z.enum(['active', 'gone']),
        now: SliceOutlookSchema,
        endOfWindow: SliceOutlookSchema.extend({
          taken: z.number().int(),
          pruned: z.number().int(),
          prunedExisting: z.array(z.object({ snapshotId: z.string(), prunedAt: IsoTime })),
        }),
      }),
    ),
    monthlyCost: z.object({ now: MoneySchema, endOfWindow: MoneySchema }),
  })
  .meta({ id: 'PolicySimulation' });

const StorageMoneySchema = z.object({ amount: z.string(), currency: z.literal('USD') });

export const StorageSchema = z
  .object({
    logicalBytes: z.number().int().meta({
      description:
        "Sum of the used bytes of the account's live snapshots (available, in the recycle bin, being taken)",
    }),
    storedBytes: z.number().int().meta({
      description: 'Stored bytes of the distinct chunks they name, after sharing and compression',
    }),
    dedupRatio: z.number().meta({
      description: 'logicalBytes over storedBytes, to 2 decimals; 1 when nothing is stored',
    }),
    monthlyCost: StorageMoneySchema.meta({
      description: 'What a full month of the snapshots billed as of asOf costs',
    }),
    asOf: IsoTime.nullable().meta({
      description:
        'When the count these figures come from began (after every purge, and daily); null before the first',
    }),
    bySlice: z.array(
      z.object({
        sliceId: z.string(),
        snapshots: z.number().int(),
        logicalBytes: z.number().int(),
        exclusiveBytes: z.number().int().meta({
          description:
            "Stored bytes no other slice's snapshot names: what deleting all of its snapshots frees",
        }),
        monthlyCost: StorageMoneySchema,
      }),
    ),
  })
  .meta({ id: 'Storage' });
