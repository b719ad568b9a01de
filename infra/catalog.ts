/**
 * The one list of the backend's functions, workflows and schedules. The CDK app deploys from it and
 * the embedded local cloud runs from it, so both serve the same handler modules and ASL files.
 * Routes, workflow names and timeouts come from the blueprint, which the handlers read too.
 * Plain data only: importing it must not load aws-cdk-lib.
 */
import {
  type HttpRoute,
  ROUTES,
  type RouteName,
  SWEEP_STEP_TIMEOUT_SECONDS,
  WORKFLOW_TIMEOUT_SECONDS,
  type WorkflowName,
} from '../blueprint/facts.ts';
import { WORKFLOW_OF_OPERATION } from '../core/workflows/operation-workflows.ts';

/** The AWS-side access a function needs; CDK grants exactly this, nothing more. */
export interface FunctionAccess {
  readonly table?: 'read' | 'write';
  readonly images?: 'read' | 'write' | 'delete';
  /** State machines (by workflow name) this function may start or describe. */
  readonly startsWorkflows?: readonly string[];
  /** May call SendTaskSuccess/Failure/Heartbeat. */
  readonly sendsTaskResults?: boolean;
  /** May read the host registry secrets (agent signing keys). */
  readonly readsHostSecrets?: boolean;
  /** May read the key that signs list cursors. */
  readonly readsCursorKey?: boolean;
  /**
   * May put agent callback nonces in the table, and nothing else there (a conditional put per
   * callback refuses replays across containers). Implies the table name in the environment.
   */
  readonly claimsCallbackNonces?: boolean;
  /**
   * May put agent command contexts (what a command's progress reports on) in the table, and
   * nothing else there. Implies the table name in the environment.
   */
  readonly recordsCommandContexts?: boolean;
  /**
   * May read items and update them (GetItem, UpdateItem), no more: the agent callback shows
   * progress on operations and snapshots. Implies the table name in the environment.
   */
  readonly writesProgress?: boolean;
  /**
   * May create, update and delete the policies' schedules in the project's schedule group, and
   * pass them the role that starts the run-policy workflow.
   */
  readonly managesPolicySchedules?: boolean;
}

export interface FunctionSpec {
  /** kebab-case name; also the local Lambda function name. */
  readonly name: string;
  /** Handler module, relative to the project root; it exports `handler`. */
  readonly entry: string;
  readonly routes?: readonly HttpRoute[];
  readonly access: FunctionAccess;
  readonly timeoutSeconds?: number;
  readonly memoryMB?: number;
}

export interface WorkflowSpec {
  /** kebab-case name; the ASL file is `state-machines/<name>.asl.json`. */
  readonly name: string;
  readonly file: string;
  /** Functions whose ARNs the ASL references through `${<Pascal>FunctionArn}` placeholders. */
  readonly invokes: readonly string[];
  readonly timeoutSeconds: number;
}

/** What a schedule runs: a function it invokes, or a workflow whose state machine it starts. */
export type ScheduleTarget = { readonly function: string } | { readonly workflow: string };

export interface ScheduleSpec {
  readonly name: string;
  /** An EventBridge Scheduler expression: `rate(...)` or `cron(...)`. */
  readonly expression: string;
  readonly target: ScheduleTarget;
  /** The function's event, or the execution's input. */
  readonly input?: Record<string, unknown>;
}

/**
 * An EventBridge rule on the default bus, where AWS services put their own events, invoking a
 * catalog function. `workflowStatuses` matches the `Step Functions Execution Status Change` events
 * of this project's state machines that ended with one of those statuses.
 */
export interface RuleSpec {
  readonly name: string;
  readonly description: string;
  readonly workflowStatuses: readonly ('ABORTED' | 'TIMED_OUT' | 'FAILED' | 'SUCCEEDED')[];
  readonly target: { readonly function: string };
}

/** The name of what a schedule runs, function or workflow alike: for messages and descriptions. */
export function scheduleTargetName(target: ScheduleTarget): string {
  return 'workflow' in target ? target.workflow : target.function;
}

/** Placeholder key, in ASL files, for a function's ARN: `api-list-regions` → `ApiListRegionsFunctionArn`. */
export function functionArnPlaceholder(functionName: string): string {
  const pascal = functionName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}FunctionArn`;
}

/** Placeholder keys, in ASL files, for resources other than functions. */
export const PLACEHOLDER = {
  eventBusName: 'EventBusName',
  tableName: 'TableName',
} as const;

/**
 * The access of a function that records an operation and starts its workflow: the table's
 * records, written, and the state machine of `workflow`.
 */
function startsWorkflow(workflow: WorkflowName): FunctionAccess {
  return { table: 'write', startsWorkflows: [workflow] };
}

/** How long a function may run and how much memory it has, where the defaults do not do. */
type FunctionLimits = Pick<FunctionSpec, 'timeoutSeconds' | 'memoryMB'>;

/** A function that no route serves; its handler module is `functions/<name>.ts`. */
function handler(name: string, access: FunctionAccess, limits: FunctionLimits = {}): FunctionSpec {
  return { name, entry: `functions/${name}.ts`, access, ...limits };
}

/** A function that serves one route, named by operationId; its module is `functions/<name>.ts`. */
function api(
  route: RouteName,
  name: string,
  access: FunctionAccess,
  limits: FunctionLimits = {},
): FunctionSpec {
  return { ...handler(name, access, limits), routes: [ROUTES[route]] };
}

/** Reads records and lists them a page at a time, behind signed cursors. */
const LISTS_RECORDS: FunctionAccess = { table: 'read', readsCursorKey: true };

/** Writes policies and keeps their schedules in step with them. */
const MANAGES_POLICIES: FunctionAccess = { table: 'write', managesPolicySchedules: true };

/** Reads an image's manifest and checks the chunks it names; records what it found. */
const CHECKS_CHUNKS: FunctionAccess = { table: 'write', images: 'read' };

/** A step through many records or chunks, a page of them at a time. */
const PAGED_STEP: FunctionLimits = { timeoutSeconds: 300 };

/**
 * A policy's simulation prunes step by step at every run of its window: 90 days of hourly runs
 * over 100 slices took about 9 s on a busy 2-core machine. The HTTP API waits 30 s at most.
 */
const SIMULATION_LIMITS: FunctionLimits = { timeoutSeconds: 29, memoryMB: 1024 };

export const FUNCTIONS: readonly FunctionSpec[] = [
  api('listRegions', 'api-list-regions', {}),
  // Also registers the source snapshot's reader: a conditional write on the snapshot.
  api('createSlice', 'api-create-slice', startsWorkflow('create-slice')),
  api('listSlices', 'api-list-slices', LISTS_RECORDS),
  api('getSlice', 'api-get-slice', { table: 'read' }),
  api('updateSlice', 'api-update-slice', { table: 'write' }),
  api('changeSlicePower', 'api-request-power-change', startsWorkflow('change-slice-power')),
  // A slice whose build failed is deleted at once, with its event; a final snapshot is stored.
  api('deleteSlice', 'api-request-slice-deletion', startsWorkflow('delete-slice')),
  api('createSnapshot', 'api-request-snapshot', startsWorkflow('create-snapshot')),
  // Asks the slice's host to scan its disk: the request is signed with the host's secret.
  // The scan reads the disk's allocation map, not its data; a large disk takes seconds.
  api(
    'quoteSnapshot',
    'api-quote-snapshot',
    { table: 'read', readsHostSecrets: true },
    { timeoutSeconds: 29 },
  ),
  api('listSnapshots', 'api-list-snapshots', LISTS_RECORDS),
  api('getSnapshot', 'api-get-snapshot', { table: 'read' }),
  // Reads the two snapshots and their manifests; signs and reads its pages' cursors.
  api('getSnapshotChanges', 'api-get-snapshot-changes', {
    table: 'read',
    images: 'read',
    readsCursorKey: true,
  }),
  api('verifySnapshot', 'api-verify-snapshot', startsWorkflow('verify-snapshot')),
  api('copySnapshot', 'api-copy-snapshot', startsWorkflow('copy-snapshot')),
  api('updateSnapshot', 'api-update-snapshot', { table: 'write' }),
  // Into the recycle bin (its event through the outbox), or for good through the workflow.
  api('deleteSnapshot', 'api-request-snapshot-deletion', startsWorkflow('delete-snapshot')),
  // Its event goes through the outbox, in the snapshot's own write.
  api('recoverSnapshot', 'api-recover-snapshot', { table: 'write' }),
  api('restoreSnapshot', 'api-request-restore', startsWorkflow('restore-slice')),
  api('undoOperation', 'api-undo-restore', startsWorkflow('restore-slice')),
  api('listOperations', 'api-list-operations', LISTS_RECORDS),
  api('getOperation', 'api-get-operation', { table: 'read' }),
  api('getOpenApi', 'api-get-openapi', {}),
  api('getCharges', 'api-get-monthly-charges', { table: 'read' }),
  api('getSettings', 'api-get-account-settings', { table: 'read' }),
  api('getStorage', 'api-get-storage', { table: 'read' }),
  api('updateSettings', 'api-update-account-settings', { table: 'write' }),
  api('createSnapshotPolicy', 'api-create-snapshot-policy', MANAGES_POLICIES),
  api('listSnapshotPolicies', 'api-list-snapshot-policies', LISTS_RECORDS),
  api('getSnapshotPolicy', 'api-get-snapshot-policy', { table: 'read' }),
  api('updateSnapshotPolicy', 'api-update-snapshot-policy', MANAGES_POLICIES),
  api('deleteSnapshotPolicy', 'api-delete-snapshot-policy', MANAGES_POLICIES),
  // Reads the target slices and the policy's snapshots a page after another.
  api('simulateSnapshotPolicy', 'api-simulate-snapshot-policy', LISTS_RECORDS, SIMULATION_LIMITS),
  api(
    'simulateUnsavedSnapshotPolicy',
    'api-simulate-unsaved-snapshot-policy',
    LISTS_RECORDS,
    SIMULATION_LIMITS,
  ),
  api('listPolicyRuns', 'api-list-policy-runs', LISTS_RECORDS),
  api('runSnapshotPolicy', 'api-run-snapshot-policy', startsWorkflow('run-policy')),
  // Stores a schedule's run and reads the target slices a page after another.
  handler('workflow-begin-policy-run', { table: 'write' }, { timeoutSeconds: 30 }),
  handler('workflow-take-policy-snapshot', startsWorkflow('create-snapshot')),
  handler('workflow-check-policy-snapshot', { table: 'read' }),
  // Into the recycle bin, or for good through the workflow when the account keeps none.
  handler('workflow-prune-policy-snapshots', startsWorkflow('delete-snapshot'), PAGED_STEP),
  handler('workflow-finish-policy-run', { table: 'write' }),
  // Reads which partitions of the month are done; writes nothing.
  handler('workflow-plan-billing-run', { table: 'read' }),
  // One partition of a million snapshots (~62,500 records) per invocation, well within the limit.
  handler('workflow-run-billing', { table: 'write' }, { timeoutSeconds: 900, memoryMB: 1024 }),
  // Reads whether every partition of the month is done; writes nothing.
  handler('workflow-summarize-billing-run', { table: 'read' }),
  // Signed by the host's secret and checked by the handler, not the JWT authorizer.
  api('reportAgentCallback', 'api-report-agent-callback', {
    readsHostSecrets: true,
    claimsCallbackNonces: true,
    sendsTaskResults: true,
    writesProgress: true,
  }),
  // The agent accepts a command at once (it reports through callbacks); 10 s each try at most.
  handler(
    'dispatch-agent-command',
    { readsHostSecrets: true, recordsCommandContexts: true },
    { timeoutSeconds: 30 },
  ),
  handler('workflow-place-slice', { table: 'write', readsHostSecrets: true }),
  handler('workflow-complete-slice-build', { table: 'write' }),
  handler('workflow-fail-slice-creation', { table: 'write' }),
  handler('workflow-confirm-slice-lock-for-snapshot', { table: 'write' }),
  handler('workflow-mark-snapshot-captured', { table: 'write' }),
  // Reads the manifest and checks every chunk it names (HeadObject); writes no object.
  // A large image names many chunks, checked a few at a time.
  handler('workflow-register-snapshot', CHECKS_CHUNKS, PAGED_STEP),
  handler('workflow-fail-snapshot-creation', { table: 'write' }),
  handler('workflow-confirm-slice-lock', { table: 'read' }),
  handler('workflow-prepare-disk-capture', { table: 'write' }),
  // Reads the manifest and checks every chunk it names, as RegisterSnapshot does.
  handler('workflow-keep-undo-snapshot', CHECKS_CHUNKS, PAGED_STEP),
  handler('workflow-drop-undo-snapshot', { table: 'write' }),
  // Reads the manifest and checks every chunk it names, as RegisterSnapshot does.
  handler('workflow-register-final-snapshot', CHECKS_CHUNKS, PAGED_STEP),
  handler('workflow-fail-final-snapshot', { table: 'write' }),
  handler('workflow-complete-restore', { table: 'write' }),
  handler('workflow-complete-restore-if-committed', { table: 'write' }),
  handler('workflow-fail-restore', { table: 'write' }),
  handler('workflow-complete-power-change', { table: 'write' }),
  handler('workflow-fail-slice-operation', { table: 'write' }),
  handler('workflow-complete-slice-deletion', { table: 'write' }),
  // Deletes the snapshot's manifest; its chunks are the chunk collection's.
  handler('workflow-delete-snapshot-image', { table: 'read', images: 'delete' }),
  // Reads the manifest and a page of chunks back in full, and shows progress on the operation.
  // Reading 64 chunks of 4 MiB at once, decompressed and hashed: room for a page and its copies.
  handler('workflow-verify-snapshot-chunks', CHECKS_CHUNKS, {
    timeoutSeconds: 300,
    memoryMB: 1024,
  }),
  // Reads the source's manifest, checks each of its chunks in the target region (HeadObject)
  // and the target's chunk collection; shows the plan on the operation.
  // A large image names many chunks, checked a few at a time.
  handler('workflow-plan-snapshot-copy', CHECKS_CHUNKS, PAGED_STEP),
  // Copies a page of chunks from one region's bucket to another's (CopyObject: the bytes never
  // pass through the function) and shows progress.
  handler('workflow-copy-snapshot-chunks', { table: 'write', images: 'write' }, PAGED_STEP),
  // Reads the source's manifest and the target region's sweep notices.
  handler('workflow-settle-snapshot-copy', { table: 'read', images: 'read' }),
  // Writes the copy's manifest, checks every chunk it names, copies again any a sweep took.
  handler('workflow-register-snapshot-copy', { table: 'write', images: 'write' }, PAGED_STEP),
  // Removes the copy's manifest if it was written; the chunks are the collection's.
  handler('workflow-fail-snapshot-copy', { table: 'write', images: 'delete' }),
  handler('workflow-complete-snapshot-verification', { table: 'write' }),
  handler('workflow-fail-snapshot-verification', { table: 'write' }),
  handler('workflow-complete-snapshot-deletion', { table: 'write' }),
  handler('workflow-fail-snapshot-deletion', { table: 'write' }),
  // Finishes an operation as its workflow's compensation would: the agent's commands (signed),
  // the records, the failure event, and a failed upload's chunks.
  // Waits for the agent to stop a command and put the power back (a forced power-off: 90 s).
  handler(
    'reconcile-operation',
    { table: 'write', images: 'delete', readsHostSecrets: true },
    { timeoutSeconds: 900, memoryMB: 1024 },
  ),
  // As the reconciler, and describes the executions of every workflow with an operation.
  handler(
    'sweep-operations',
    {
      table: 'write',
      images: 'delete',
      readsHostSecrets: true,
      startsWorkflows: Object.values(WORKFLOW_OF_OPERATION),
    },
    { timeoutSeconds: 900, memoryMB: 1024 },
  ),
  // Reads the available snapshots' index, records the verify operations and starts them; the
  // workflow reads the images.
  handler('verify-stale-snapshots', startsWorkflow('verify-snapshot')),
  // Reads the recycle bin's index, marks the expired snapshots deleting and starts their
  // deletions; the workflow deletes the images.
  // Up to 500 snapshots a run, each a few writes and a StartExecution.
  handler('purge-expired-snapshots', startsWorkflow('delete-snapshot'), PAGED_STEP),
  // Reads a page of snapshots and their manifests; writes the pass's tally to the bucket and
  // clears the account's pending request.
  handler(
    'workflow-mark-storage-page',
    { table: 'write', images: 'write' },
    { timeoutSeconds: 270, memoryMB: 1024 },
  ),
  // Reads the tally, stores the figures, deletes the tally.
  handler(
    'workflow-finish-storage-mark',
    { table: 'write', images: 'delete' },
    { timeoutSeconds: 270, memoryMB: 1024 },
  ),
  // Claims the account's sweep, reads the condemned list and writes the pass's notice.
  handler('workflow-publish-chunk-sweep', { table: 'write', images: 'write' }),
  // Lists the account's chunks against the tally and deletes those condemned long enough.
  handler(
    'workflow-sweep-chunk-pages',
    { table: 'write', images: 'delete' },
    { timeoutSeconds: SWEEP_STEP_TIMEOUT_SECONDS, memoryMB: 1024 },
  ),
  // Writes the condemned list, ends the notice, deletes the progress and the tally.
  handler(
    'workflow-finish-chunk-sweep',
    { table: 'write', images: 'delete' },
    { timeoutSeconds: 90 },
  ),
  // A conditional write of the account's pending request, then StartExecution.
  handler('workflow-request-storage-mark', startsWorkflow('storage-mark')),
  // Reads the index of marked accounts and starts a pass for each that has none pending.
  handler('request-storage-marks', startsWorkflow('storage-mark'), PAGED_STEP),
  // Deletes a failed upload's manifest; the chunks it wrote are the chunk collection's.
  handler('workflow-clean-up-failed-upload', { table: 'read', images: 'delete' }),
];

/**
 * A deployed workflow: its ASL file and its timeout follow from its name (the timeout from the
 * blueprint, where the expiries that depend on it are derived from the same figure).
 */
function workflow(name: WorkflowName, invokes: readonly string[]): WorkflowSpec {
  return {
    name,
    file: `state-machines/${name}.asl.json`,
    invokes,
    timeoutSeconds: WORKFLOW_TIMEOUT_SECONDS[name],
  };
}

export const WORKFLOWS: readonly WorkflowSpec[] = [
  workflow('create-slice', [
    'workflow-place-slice',
    'dispatch-agent-command',
    'workflow-complete-slice-build',
    'workflow-fail-slice-creation',
  ]),
  workflow('create-snapshot', [
    'workflow-confirm-slice-lock-for-snapshot',
    'dispatch-agent-command',
    'workflow-mark-snapshot-captured',
    'workflow-register-snapshot',
    'workflow-request-storage-mark',
    'workflow-fail-snapshot-creation',
    'workflow-clean-up-failed-upload',
  ]),
  workflow('restore-slice', [
    'workflow-confirm-slice-lock',
    'dispatch-agent-command',
    'workflow-prepare-disk-capture',
    'workflow-mark-snapshot-captured',
    'workflow-keep-undo-snapshot',
    'workflow-drop-undo-snapshot',
    'workflow-clean-up-failed-upload',
    'workflow-complete-restore',
    'workflow-complete-restore-if-committed',
    'workflow-fail-restore',
  ]),
  workflow('change-slice-power', [
    'workflow-confirm-slice-lock',
    'dispatch-agent-command',
    'workflow-complete-power-change',
    'workflow-fail-slice-operation',
  ]),
  workflow('delete-slice', [
    'workflow-confirm-slice-lock',
    'dispatch-agent-command',
    'workflow-prepare-disk-capture',
    'workflow-mark-snapshot-captured',
    'workflow-register-final-snapshot',
    'workflow-fail-final-snapshot',
    'workflow-clean-up-failed-upload',
    'workflow-complete-slice-deletion',
    'workflow-fail-slice-operation',
  ]),
  workflow('delete-snapshot', [
    'workflow-delete-snapshot-image',
    'workflow-complete-snapshot-deletion',
    'workflow-request-storage-mark',
    'workflow-fail-snapshot-deletion',
  ]),
  workflow('verify-snapshot', [
    'workflow-verify-snapshot-chunks',
    'workflow-complete-snapshot-verification',
    'workflow-fail-snapshot-verification',
  ]),
  workflow('copy-snapshot', [
    'workflow-plan-snapshot-copy',
    'workflow-copy-snapshot-chunks',
    'workflow-settle-snapshot-copy',
    'workflow-register-snapshot-copy',
    'workflow-fail-snapshot-copy',
  ]),
  workflow('run-policy', [
    'workflow-begin-policy-run',
    'workflow-take-policy-snapshot',
    'workflow-check-policy-snapshot',
    'workflow-prune-policy-snapshots',
    'workflow-finish-policy-run',
  ]),
  workflow('storage-mark', [
    'workflow-publish-chunk-sweep',
    'workflow-mark-storage-page',
    'workflow-finish-storage-mark',
    'workflow-sweep-chunk-pages',
    'workflow-finish-chunk-sweep',
  ]),
  workflow('billing-run', [
    'workflow-plan-billing-run',
    'workflow-run-billing',
    'workflow-summarize-billing-run',
  ]),
];

/**
 * Refuses an ASL definition whose execution timeout is not its workflow's: a state machine that ran
 * longer than the blueprint says would outlive the snapshot reader or upload it registered.
 */
export function assertWorkflowTimeout(spec: WorkflowSpec, definition: string): void {
  const { TimeoutSeconds } = JSON.parse(definition) as { TimeoutSeconds?: unknown };
  if (TimeoutSeconds !== spec.timeoutSeconds) {
    throw new Error(
      `${spec.file} has TimeoutSeconds ${String(TimeoutSeconds)}, but the ${spec.name} workflow ` +
        `may run ${spec.timeoutSeconds} s`,
    );
  }
}

/** A schedule that runs its target with an empty event (a function) or input (a workflow). */
function schedule(name: string, expression: string, target: ScheduleTarget): ScheduleSpec {
  return { name, expression, target, input: {} };
}

export const SCHEDULES: readonly ScheduleSpec[] = [
  // Daily at 00:15 UTC: the month-to-date estimate; on the 1st, the month just ended made final.
  schedule('billing-run-daily', 'cron(15 0 * * ? *)', { workflow: 'billing-run' }),
  // The safety net behind the reconcile rule: an event can be lost.
  schedule('sweep-operations', 'rate(5 minutes)', { function: 'sweep-operations' }),
  // Reads back a few snapshots a run that have gone 30 days without a check.
  schedule('verify-stale-snapshots', 'rate(1 hour)', { function: 'verify-stale-snapshots' }),
  // Deletes for good what has stayed its account's recycleBinDays in the recycle bin.
  schedule('purge-expired-snapshots', 'rate(15 minutes)', { function: 'purge-expired-snapshots' }),
  // Daily at 03:30 UTC, away from the billing run: a mark pass of every enrolled account, so
  // that the figures follow what snapshots taken and recovered since changed.
  schedule('request-storage-marks-daily', 'cron(30 3 * * ? *)', {
    function: 'request-storage-marks',
  }),
];

export const RULES: readonly RuleSpec[] = [
  {
    name: 'reconcile-ended-executions',
    description:
      'Executions of the workflows that ended outside their Catch: their operations are finished',
    workflowStatuses: ['ABORTED', 'TIMED_OUT', 'FAILED'],
    target: { function: 'reconcile-operation' },
  },
];

/**
 * The functions that finish operations their workflows left running: the one a rule invokes on a
 * status change, and the scheduled sweep. The monitoring counts what their logs report.
 */
export const RECONCILERS = {
  onStatusChange: 'reconcile-operation',
  sweep: 'sweep-operations',
} as const;
