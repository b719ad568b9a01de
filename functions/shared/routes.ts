import { z } from 'zod';
import { defineRoute, INVALID_INPUT } from './route.ts';
import {
  BillingMonthSchema,
  ChargesSchema,
  CopySnapshotBodySchema,
  CreatePolicyBodySchema,
  CreateSliceBodySchema,
  CreateSnapshotBodySchema,
  LabelSelectorQuerySchema,
  listOf,
  OperationAcceptedSchema,
  OperationSchema,
  PageQuerySchema,
  PolicyRunSchema,
  PolicySchema,
  PolicySimulationSchema,
  RegionListSchema,
  RestoreSnapshotBodySchema,
  resourceId,
  SettingsSchema,
  SimulatePolicyBodySchema,
  SimulateUnsavedPolicyBodySchema,
  SlicePowerBodySchema,
  SliceSchema,
  SliceWithOperationSchema,
  SnapshotChangesSchema,
  SnapshotQuoteSchema,
  SnapshotSchema,
  SnapshotWithOperationSchema,
  StorageSchema,
  UndoRestoreBodySchema,
  UpdatePolicyBodySchema,
  UpdateSettingsBodySchema,
  UpdateSliceBodySchema,
  UpdateSnapshotBodySchema,
} from './schemas.ts';

const conflict = { description: 'Conflicts with the current state, or a reused Idempotency-Key' };
const sliceNotFound = { description: 'No such slice in this account' };
const snapshotNotFound = { description: 'No such snapshot in this account' };

const badSelector = {
  description:
    'Invalid input: every bad field is named in `errors`; a `labelSelector` that cannot be read answers code `INVALID_LABEL_SELECTOR` and names the position',
};

const sliceParams = z.strictObject({ id: resourceId('slice') });
const snapshotParams = z.strictObject({ id: resourceId('snapshot') });
const operationParams = z.strictObject({ id: resourceId('operation') });
const policyParams = z.strictObject({ id: resourceId('policy') });
const policyNotFound = { description: 'No such snapshot policy in this account' };

export const getRegionsRoute = defineRoute('listRegions', {
  summary: 'Regions where slices and snapshots can live',
  tags: ['regions'],
  responses: { 200: { description: 'The regions', schema: RegionListSchema } },
});

export const createSliceRoute = defineRoute('createSlice', {
  summary: 'Create a slice, blank or from a snapshot of the same region',
  tags: ['slices'],
  body: CreateSliceBodySchema,
  idempotent: true,
  responses: {
    202: { description: 'The slice is being built', schema: SliceWithOperationSchema },
    404: snapshotNotFound,
    409: conflict,
    422: { description: 'The snapshot is not usable for this slice (region, disk size, status)' },
  },
});

export const listSlicesRoute = defineRoute('listSlices', {
  summary: "The account's slices, newest first",
  tags: ['slices'],
  query: PageQuerySchema.extend({ labelSelector: LabelSelectorQuerySchema.optional() }),
  responses: {
    200: { description: 'A page of slices', schema: listOf(SliceSchema, 'SliceList') },
    400: badSelector,
  },
});

export const getSliceRoute = defineRoute('getSlice', {
  summary: 'One slice',
  tags: ['slices'],
  params: sliceParams,
  responses: {
    200: { description: 'The slice', schema: SliceSchema },
    404: sliceNotFound,
  },
});

export const quoteSnapshotRoute = defineRoute('quoteSnapshot', {
  summary:
    "What a snapshot of the slice taken now would hold, cost and take, before it is taken: from the host's scan of the disk",
  tags: ['snapshots'],
  params: sliceParams,
  query: z.strictObject({
    powerOff: z.enum(['true', 'false']).optional().meta({
      description:
        '`true`: quote a snapshot taken with the slice powered off first (default false)',
    }),
  }),
  responses: {
    200: { description: 'The quote; nothing was changed', schema: SnapshotQuoteSchema },
    404: sliceNotFound,
    409: { description: 'The slice is not active (being built, deleted): it has no disk to scan' },
  },
});

const busySlice = {
  description:
    'The slice is busy with another operation (named in `detail`) or not active, or a reused Idempotency-Key',
};

export const updateSliceRoute = defineRoute('updateSlice', {
  summary:
    'Rename a slice, change its labels (merged: null removes a key) or its delete protection',
  tags: ['slices'],
  params: sliceParams,
  body: UpdateSliceBodySchema,
  idempotent: true,
  responses: {
    200: { description: 'The slice as changed', schema: SliceSchema },
    400: {
      description: 'Invalid input (every bad field named), or labels that would exceed 64',
    },
    404: sliceNotFound,
    409: {
      description:
        'Delete protection turned on while a deletion holds the slice, a concurrent change, or a reused Idempotency-Key',
    },
  },
});

export const changeSlicePowerRoute = defineRoute('changeSlicePower', {
  summary: 'Power a slice on or off; watch it through its operation',
  tags: ['slices'],
  params: sliceParams,
  body: SlicePowerBodySchema,
  idempotent: true,
  responses: {
    202: { description: 'The power change is under way', schema: OperationAcceptedSchema },
    404: sliceNotFound,
    409: busySlice,
  },
});

export const deleteSliceRoute = defineRoute('deleteSlice', {
  summary:
    'Delete a slice and its disk; its snapshots stay, billed and restorable into a new slice',
  tags: ['slices'],
  params: sliceParams,
  query: z.strictObject({
    finalSnapshot: z.enum(['true', 'false']).optional().meta({
      description:
        "`true`: take a snapshot of the slice (powered off, named `<slice>-final-<unix seconds>`) before its disk goes; an ordinary, billed snapshot that outlives the slice, named in the operation's `finalSnapshotId`. If it fails, the slice is not deleted (the operation fails, the slice stays in its power state, its disk kept)",
    }),
  }),
  idempotent: true,
  responses: {
    202: { description: 'The slice is being deleted', schema: OperationAcceptedSchema },
    404: sliceNotFound,
    409: {
      description:
        'The slice has delete protection on (code `SLICE_DELETE_PROTECTED`), is busy with another operation (named in `detail`) or not active (a slice whose build failed has no disk for a final snapshot), or a reused Idempotency-Key',
    },
  },
});

export const createSnapshotRoute = defineRoute('createSnapshot', {
  summary: "Take a snapshot of a slice's disk; watch it through the snapshot or its operation",
  tags: ['snapshots'],
  params: sliceParams,
  body: CreateSnapshotBodySchema,
  idempotent: true,
  responses: {
    202: {
      description: 'The snapshot is being taken: its id is final, its status `pending`',
      schema: SnapshotWithOperationSchema,
    },
    404: sliceNotFound,
    409: {
      description:
        'The slice is busy with another operation (named in `detail`) or not active, or a reused Idempotency-Key',
    },
  },
});

export const listSnapshotsRoute = defineRoute('listSnapshots', {
  summary:
    "The account's snapshots, newest first; optionally of one region or slice; `status=recycled` lists the recycle bin",
  tags: ['snapshots'],
  query: PageQuerySchema.extend({
    region: z.string().min(1).max(64).optional(),
    sliceId: resourceId('slice').optional(),
    labelSelector: LabelSelectorQuerySchema.optional(),
    status: z.enum(['recycled']).optional().meta({
      description:
        '`recycled`: the recycle bin (deleted snapshots that can still be recovered), which every other list leaves out',
    }),
  }),
  responses: {
    200: { description: 'A page of snapshots', schema: listOf(SnapshotSchema, 'SnapshotList') },
    400: badSelector,
  },
});

export const getSnapshotRoute = defineRoute('getSnapshot', {
  summary: 'One snapshot, with its progress while it is taken',
  tags: ['snapshots'],
  params: snapshotParams,
  responses: {
    200: { description: 'The snapshot', schema: SnapshotSchema },
    404: snapshotNotFound,
  },
});

export const updateSnapshotRoute = defineRoute('updateSnapshot', {
  summary: 'Rename a snapshot, change its labels (merged: null removes a key) or its protection',
  tags: ['snapshots'],
  params: snapshotParams,
  body: UpdateSnapshotBodySchema,
  idempotent: true,
  responses: {
    200: { description: 'The snapshot as changed', schema: SnapshotSchema },
    400: {
      description: 'Invalid input (every bad field named), or labels that would exceed 64',
    },
    404: snapshotNotFound,
    409: {
      description:
        'The snapshot is being deleted, a concurrent change, or a reused Idempotency-Key',
    },
  },
});

export const deleteSnapshotRoute = defineRoute('deleteSnapshot', {
  summary:
    'Delete a snapshot: into the recycle bin (billing stops at once, recoverable until `purgeAt`), or for good with `purge=true`',
  tags: ['snapshots'],
  params: snapshotParams,
  query: z.strictObject({
    purge: z.enum(['true', 'false']).optional().meta({
      description:
        '`true`: delete it for good now, past the recycle bin (also how a snapshot in the bin is purged early); the chunks no other snapshot of the account uses are removed',
    }),
  }),
  idempotent: true,
  responses: {
    202: {
      description:
        'The snapshot is in the recycle bin (`recycled`, its `snapshot.delete` operation succeeded), or being deleted for good (`deleting`, its operation running: with `purge=true` or the bin off)',
      schema: SnapshotWithOperationSchema,
    },
    404: snapshotNotFound,
    409: {
      description:
        'The snapshot is protected (code `SNAPSHOT_PROTECTED`), a restore or a new slice reads it now (a purge waits for it), it is still being taken, being deleted, in the recycle bin already (purge it with `purge=true`), or a reused Idempotency-Key',
    },
  },
});

export const recoverSnapshotRoute = defineRoute('recoverSnapshot', {
  summary: 'Take a snapshot out of the recycle bin: available again, billed again from now',
  tags: ['snapshots'],
  params: snapshotParams,
  idempotent: true,
  responses: {
    200: { description: 'The snapshot, available again', schema: SnapshotSchema },
    404: snapshotNotFound,
    409: { description: 'The snapshot is not in the recycle bin, or a reused Idempotency-Key' },
  },
});

export const restoreSnapshotRoute = defineRoute('restoreSnapshot', {
  summary:
    "Restore a slice from a snapshot: replaces all data on the slice's disk (requires confirm: true)",
  tags: ['snapshots'],
  params: snapshotParams,
  body: RestoreSnapshotBodySchema,
  idempotent: true,
  responses: {
    202: { description: 'The restore is under way', schema: OperationAcceptedSchema },
    400: { description: 'Invalid input, or `confirm` is not true' },
    404: { description: 'No such snapshot, or no such slice, in this account' },
    409: {
      description:
        'The snapshot is not available, the slice is busy or not active, the source slice is deleted (make a new slice from the snapshot instead), or a reused Idempotency-Key',
    },
    422: { description: "The slice's disk is smaller than the snapshot's, or in another region" },
  },
});

export const getSnapshotChangesRoute = defineRoute('getSnapshotChanges', {
  summary:
    "Where a snapshot's disk differs from another snapshot's (`base`): byte ranges at chunk granularity, from the two manifests alone",
  tags: ['snapshots'],
  params: snapshotParams,
  query: PageQuerySchema.extend({
    base: resourceId('snapshot').meta({
      description:
        'The snapshot to compare with, of the same account; any disk size (what only the larger disk has counts as changed)',
    }),
  }),
  responses: {
    200: { description: 'A page of the changed ranges', schema: SnapshotChangesSchema },
    404: { description: 'No such snapshot, or no such base snapshot, in this account' },
    409: {
      description:
        'The snapshot or the base is not `available` (code `SNAPSHOT_NOT_AVAILABLE`, naming it), or its image is not whole (`IMAGE_INCOMPLETE`)',
    },
  },
});

export const verifySnapshotRoute = defineRoute('verifySnapshot', {
  summary:
    "Verify a snapshot: every chunk of its image read back and checked against its hash; the snapshot's `verifyState` says what was found",
  tags: ['snapshots'],
  params: snapshotParams,
  idempotent: true,
  responses: {
    202: {
      description:
        'The verification is under way: a `snapshot.verify` operation, whose progress counts the bytes read back',
      schema: OperationAcceptedSchema,
    },
    404: snapshotNotFound,
    409: {
      description:
        'The snapshot has no image to verify: not taken yet (`SNAPSHOT_NOT_AVAILABLE`), being deleted (`SNAPSHOT_BEING_DELETED`); or a reused Idempotency-Key',
    },
  },
});

export const copySnapshotRoute = defineRoute('copySnapshot', {
  summary:
    'Copy a snapshot to another region: a new, independent snapshot there, `copying` until its image is whole; only the chunks that region lacks are transferred',
  tags: ['snapshots'],
  params: snapshotParams,
  body: CopySnapshotBodySchema,
  idempotent: true,
  responses: {
    202: {
      description:
        'The copy is under way: the new snapshot (status `copying`, in the target region) and its `snapshot.copy` operation, whose `bytesToTransfer` and progress show the transfer',
      schema: SnapshotWithOperationSchema,
    },
    404: snapshotNotFound,
    409: {
      description:
        'The snapshot is not `available` (`SNAPSHOT_NOT_AVAILABLE`) or its verification found it damaged (`SNAPSHOT_CORRUPT`); or a reused Idempotency-Key',
    },
    422: { description: 'The snapshot is in that region already (`SNAPSHOT_ALREADY_IN_REGION`)' },
  },
});

export const getOperationRoute = defineRoute('getOperation', {
  summary: 'One long-running operation, with its progress',
  tags: ['operations'],
  params: operationParams,
  responses: {
    200: { description: 'The operation', schema: OperationSchema },
    404: { description: 'No such operation in this account' },
  },
});

export const undoOperationRoute = defineRoute('undoOperation', {
  summary:
    'Undo a succeeded restore: restores the slice from the disk the restore replaced (requires confirm: true)',
  tags: ['operations'],
  params: operationParams,
  body: UndoRestoreBodySchema,
  idempotent: true,
  responses: {
    202: { description: 'The undo, a restore, is under way', schema: OperationAcceptedSchema },
    400: { description: 'Invalid input, or `confirm` is not true' },
    404: { description: 'No such operation, or its slice is deleted, in this account' },
    409: {
      description:
        'The operation is not a succeeded restore (OPERATION_NOT_UNDOABLE), it kept no copy of the replaced disk (UNDO_NOT_AVAILABLE) or that copy has been purged (UNDO_EXPIRED), the slice is busy, or a reused Idempotency-Key',
    },
  },
});

export const listOperationsRoute = defineRoute('listOperations', {
  summary: "The account's operations, running and ended, newest first",
  tags: ['operations'],
  query: PageQuerySchema,
  responses: {
    200: {
      description: 'A page of operations',
      schema: listOf(OperationSchema, 'OperationList'),
    },
  },
});

export const getChargesRoute = defineRoute('getCharges', {
  summary: "The account's snapshot charges for a month: final once the month is closed",
  tags: ['billing'],
  query: z.strictObject({
    month: BillingMonthSchema.optional().meta({
      description: 'The month (UTC), YYYY-MM; the current month when left out',
    }),
  }),
  responses: {
    200: { description: 'The charges, line by line', schema: ChargesSchema },
    400: { description: 'Invalid input, or a month that has not begun' },
  },
});

export const getSettingsRoute = defineRoute('getSettings', {
  summary: "The account's settings: how long deleted snapshots stay in the recycle bin",
  tags: ['settings'],
  responses: {
    200: { description: "The account's settings", schema: SettingsSchema },
  },
});

export const getStorageRoute = defineRoute('getStorage', {
  summary:
    "What the account's snapshots take in the store, before and after sharing and compression, and what they cost a month",
  tags: ['billing'],
  responses: {
    200: { description: "The account's storage, as of its latest count", schema: StorageSchema },
  },
});

export const updateSettingsRoute = defineRoute('updateSettings', {
  summary:
    "Change the account's settings; fields left out keep their value. A new recycleBinDays applies to snapshots deleted from now on",
  tags: ['settings'],
  body: UpdateSettingsBodySchema,
  idempotent: true,
  responses: {
    200: { description: "The account's settings, changed", schema: SettingsSchema },
    409: conflict,
  },
});

export const createSnapshotPolicyRoute = defineRoute('createSnapshotPolicy', {
  summary:
    'Create a snapshot policy: snapshots of slices on a schedule, pruned by retention rules into the recycle bin',
  tags: ['snapshot policies'],
  body: CreatePolicyBodySchema,
  idempotent: true,
  responses: {
    201: { description: 'The policy', schema: PolicySchema },
    400: {
      description:
        'Invalid input (every bad field named): a cron more often than hourly, no rule above 0, a selector that cannot be read',
    },
    409: conflict,
  },
});

export const listSnapshotPoliciesRoute = defineRoute('listSnapshotPolicies', {
  summary: "The account's snapshot policies, newest first",
  tags: ['snapshot policies'],
  query: PageQuerySchema,
  responses: {
    200: { description: 'A page of policies', schema: listOf(PolicySchema, 'SnapshotPolicyList') },
  },
});

export const getSnapshotPolicyRoute = defineRoute('getSnapshotPolicy', {
  summary: 'One snapshot policy, with its next run',
  tags: ['snapshot policies'],
  params: policyParams,
  responses: {
    200: { description: 'The policy', schema: PolicySchema },
    404: policyNotFound,
  },
});

export const updateSnapshotPolicyRoute = defineRoute('updateSnapshotPolicy', {
  summary:
    'Change a snapshot policy in place (same id, its snapshots still its own): the fields given replace its own',
  tags: ['snapshot policies'],
  params: policyParams,
  body: UpdatePolicyBodySchema,
  idempotent: true,
  responses: {
    200: { description: 'The policy as changed', schema: PolicySchema },
    404: policyNotFound,
    409: conflict,
  },
});

export const deleteSnapshotPolicyRoute = defineRoute('deleteSnapshotPolicy', {
  summary: 'Delete a snapshot policy: its runs stop; the snapshots it took stay',
  tags: ['snapshot policies'],
  params: policyParams,
  idempotent: true,
  responses: {
    204: { description: 'The policy is deleted' },
    404: policyNotFound,
    409: conflict,
  },
});

const simulated = {
  description:
    "The window's runs and, per target slice, which of the policy's snapshots each rule keeps and which it prunes, now and at the window's end, with the monthly cost of both. Nothing is changed.",
  schema: PolicySimulationSchema,
};

export const simulateSnapshotPolicyRoute = defineRoute('simulateSnapshotPolicy', {
  summary: 'Simulate a snapshot policy over the coming days, before anything is deleted',
  tags: ['snapshot policies'],
  params: policyParams,
  body: SimulatePolicyBodySchema,
  responses: { 200: simulated, 404: policyNotFound },
});

export const simulateUnsavedSnapshotPolicyRoute = defineRoute('simulateUnsavedSnapshotPolicy', {
  summary: 'Simulate a policy before creating it: the body of a create, and `days`',
  tags: ['snapshot policies'],
  body: SimulateUnsavedPolicyBodySchema,
  responses: {
    200: simulated,
    400: {
      description: 'Invalid input (every bad field named), as a create would answer it',
    },
  },
});

export const listPolicyRunsRoute = defineRoute('listPolicyRuns', {
  summary:
    "A snapshot policy's runs, newest first: what each took, skipped (and why), pruned and failed on",
  tags: ['snapshot policies'],
  params: policyParams,
  query: PageQuerySchema,
  responses: {
    200: { description: 'A page of runs', schema: listOf(PolicyRunSchema, 'PolicyRunList') },
    404: policyNotFound,
  },
});

export const runSnapshotPolicyRoute = defineRoute('runSnapshotPolicy', {
  summary:
    'Run a snapshot policy now, as its schedule would: snapshot its target slices, then prune',
  tags: ['snapshot policies'],
  params: policyParams,
  idempotent: true,
  responses: {
    202: { description: 'The run begun; follow it in the run history', schema: PolicyRunSchema },
    404: policyNotFound,
    409: {
      description:
        'A run of the policy is still going (code `POLICY_RUN_IN_PROGRESS`; `detail` names the run), or a reused Idempotency-Key',
    },
  },
});

export const getOpenApiRoute = defineRoute('getOpenApi', {
  summary: 'This API as an OpenAPI 3.1 document',
  tags: ['meta'],
  responses: { 200: { description: 'The OpenAPI document' } },
});

/** Every route of the public API, in the order the document lists them. */
export const API_ROUTES = [
  getRegionsRoute,
  createSliceRoute,
  listSlicesRoute,
  getSliceRoute,
  updateSliceRoute,
  changeSlicePowerRoute,
  deleteSliceRoute,
  createSnapshotRoute,
  quoteSnapshotRoute,
  listSnapshotsRoute,
  getSnapshotRoute,
  updateSnapshotRoute,
  deleteSnapshotRoute,
  recoverSnapshotRoute,
  restoreSnapshotRoute,
  getSnapshotChangesRoute,
  verifySnapshotRoute,
  copySnapshotRoute,
  listOperationsRoute,
  getOperationRoute,
  undoOperationRoute,
  getChargesRoute,
  getSettingsRoute,
  getStorageRoute,
  updateSettingsRoute,
  createSnapshotPolicyRoute,
  listSnapshotPoliciesRoute,
  getSnapshotPolicyRoute,
  updateSnapshotPolicyRoute,
  deleteSnapshotPolicyRoute,
  simulateSnapshotPolicyRoute,
  simulateUnsavedSnapshotPolicyRoute,
  listPolicyRunsRoute,
  runSnapshotPolicyRoute,
  getOpenApiRoute,
] as const;

/**
 * Where host agents report on their commands (signed with the host's secret, no JWT). Not part of
 * the public API, so not in the OpenAPI document.
 */
export const agentCallbackRoute = defineRoute('reportAgentCallback', {
  summary: "A host agent's heartbeat or outcome for a command",
  tags: ['agents'],
  responses: {
    204: { description: 'Reported to the waiting workflow task' },
    400: INVALID_INPUT,
    401: { description: 'The signature, timestamp, host or nonce was refused' },
    410: { description: 'No workflow task waits for this report any more: stop sending it' },
  },
});
