/**
 * The one list of the backend's functions, workflows and schedules. The CDK app deploys from it and
 * the embedded local cloud runs from it, so both serve the same handler modules and ASL files.
 * Routes, workflow names and timeouts come from the blueprint, which the handlers read too.
 * Plain data only: importing it must not load aws-cdk-lib.
 */
import {
  AGENT_ROUTES,
  type HttpRoute,
  PUBLIC_ROUTES,
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

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'api-list-regions',
    entry: 'functions/api-list-regions.ts',
    routes: [PUBLIC_ROUTES.listRegions],
    access: {},
  },
  {
    name: 'api-create-slice',
    entry: 'functions/api-create-slice.ts',
    routes: [PUBLIC_ROUTES.createSlice],
    // Also registers the source snapshot's reader: a conditional write on the snapshot.
    access: { table: 'write', startsWorkflows: ['create-slice'] },
  },
  {
    name: 'api-list-slices',
    entry: 'functions/api-list-slices.ts',
    routes: [PUBLIC_ROUTES.listSlices],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-slice',
    entry: 'functions/api-get-slice.ts',
    routes: [PUBLIC_ROUTES.getSlice],
    access: { table: 'read' },
  },
  {
    name: 'api-update-slice',
    entry: 'functions/api-update-slice.ts',
    routes: [PUBLIC_ROUTES.updateSlice],
    access: { table: 'write' },
  },
  {
    name: 'api-request-power-change',
    entry: 'functions/api-request-power-change.ts',
    routes: [PUBLIC_ROUTES.changeSlicePower],
    access: { table: 'write', startsWorkflows: ['change-slice-power'] },
  },
  {
    name: 'api-request-slice-deletion',
    entry: 'functions/api-request-slice-deletion.ts',
    routes: [PUBLIC_ROUTES.deleteSlice],
    // A slice whose build failed is deleted at once, with its event; a final snapshot is stored.
    access: { table: 'write', startsWorkflows: ['delete-slice'] },
  },
  {
    name: 'api-request-snapshot',
    entry: 'functions/api-request-snapshot.ts',
    routes: [PUBLIC_ROUTES.createSnapshot],
    access: { table: 'write', startsWorkflows: ['create-snapshot'] },
  },
  {
    name: 'api-quote-snapshot',
    entry: 'functions/api-quote-snapshot.ts',
    routes: [PUBLIC_ROUTES.quoteSnapshot],
    // Asks the slice's host to scan its disk: the request is signed with the host's secret.
    access: { table: 'read', readsHostSecrets: true },
    // The scan reads the disk's allocation map, not its data; a large disk takes seconds.
    timeoutSeconds: 29,
  },
  {
    name: 'api-list-snapshots',
    entry: 'functions/api-list-snapshots.ts',
    routes: [PUBLIC_ROUTES.listSnapshots],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-snapshot',
    entry: 'functions/api-get-snapshot.ts',
    routes: [PUBLIC_ROUTES.getSnapshot],
    access: { table: 'read' },
  },
  {
    name: 'api-get-snapshot-changes',
    entry: 'functions/api-get-snapshot-changes.ts',
    routes: [PUBLIC_ROUTES.getSnapshotChanges],
    // Reads the two snapshots and their manifests; signs and reads its pages' cursors.
    access: { table: 'read', images: 'read', readsCursorKey: true },
  },
  {
    name: 'api-verify-snapshot',
    entry: 'functions/api-verify-snapshot.ts',
    routes: [PUBLIC_ROUTES.verifySnapshot],
    access: { table: 'write', startsWorkflows: ['verify-snapshot'] },
  },
  {
    name: 'api-copy-snapshot',
    entry: 'functions/api-copy-snapshot.ts',
    routes: [PUBLIC_ROUTES.copySnapshot],
    access: { table: 'write', startsWorkflows: ['copy-snapshot'] },
  },
  {
    name: 'api-update-snapshot',
    entry: 'functions/api-update-snapshot.ts',
    routes: [PUBLIC_ROUTES.updateSnapshot],
    access: { table: 'write' },
  },
  {
    name: 'api-request-snapshot-deletion',
    entry: 'functions/api-request-snapshot-deletion.ts',
    routes: [PUBLIC_ROUTES.deleteSnapshot],
    // Into the recycle bin (its event through the outbox), or for good through the workflow.
    access: { table: 'write', startsWorkflows: ['delete-snapshot'] },
  },
  {
    name: 'api-recover-snapshot',
    entry: 'functions/api-recover-snapshot.ts',
    routes: [PUBLIC_ROUTES.recoverSnapshot],
    // Its event goes through the outbox, in the snapshot's own write.
    access: { table: 'write' },
  },
  {
    name: 'api-request-restore',
    entry: 'functions/api-request-restore.ts',
    routes: [PUBLIC_ROUTES.restoreSnapshot],
    access: { table: 'write', startsWorkflows: ['restore-slice'] },
  },
  {
    name: 'api-undo-restore',
    entry: 'functions/api-undo-restore.ts',
    routes: [PUBLIC_ROUTES.undoOperation],
    access: { table: 'write', startsWorkflows: ['restore-slice'] },
  },
  {
    name: 'api-list-operations',
    entry: 'functions/api-list-operations.ts',
    routes: [PUBLIC_ROUTES.listOperations],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-operation',
    entry: 'functions/api-get-operation.ts',
    routes: [PUBLIC_ROUTES.getOperation],
    access: { table: 'read' },
  },
  {
    name: 'api-get-openapi',
    entry: 'functions/api-get-openapi.ts',
    routes: [PUBLIC_ROUTES.getOpenApi],
    access: {},
  },
  {
    name: 'api-get-monthly-charges',
    entry: 'functions/api-get-monthly-charges.ts',
    routes: [PUBLIC_ROUTES.getCharges],
    access: { table: 'read' },
  },
  {
    name: 'api-get-account-settings',
    entry: 'functions/api-get-account-settings.ts',
    routes: [PUBLIC_ROUTES.getSettings],
    access: { table: 'read' },
  },
  {
    name: 'api-get-storage',
    entry: 'functions/api-get-storage.ts',
    routes: [PUBLIC_ROUTES.getStorage],
    access: { table: 'read' },
  },
  {
    name: 'api-update-account-settings',
    entry: 'functions/api-update-account-settings.ts',
    routes: [PUBLIC_ROUTES.updateSettings],
    access: { table: 'write' },
  },
  {
    name: 'api-create-snapshot-policy',
    entry: 'functions/api-create-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.createSnapshotPolicy],
    access: { table: 'write', managesPolicySchedules: true },
  },
  {
    name: 'api-list-snapshot-policies',
    entry: 'functions/api-list-snapshot-policies.ts',
    routes: [PUBLIC_ROUTES.listSnapshotPolicies],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-snapshot-policy',
    entry: 'functions/api-get-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.getSnapshotPolicy],
    access: { table: 'read' },
  },
  {
    name: 'api-update-snapshot-policy',
    entry: 'functions/api-update-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.updateSnapshotPolicy],
    access: { table: 'write', managesPolicySchedules: true },
  },
  {
    name: 'api-delete-snapshot-policy',
    entry: 'functions/api-delete-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.deleteSnapshotPolicy],
    access: { table: 'write', managesPolicySchedules: true },
  },
  {
    name: 'api-simulate-snapshot-policy',
    entry: 'functions/api-simulate-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.simulateSnapshotPolicy],
    // Reads the target slices and the policy's snapshots a page after another.
    access: { table: 'read', readsCursorKey: true },
    // Prunes step by step at every run of the window: 90 days of hourly runs over 100 slices
    // took about 9 s on a busy 2-core machine. The HTTP API waits 30 s at most.
    timeoutSeconds: 29,
    memoryMB: 1024,
  },
  {
    name: 'api-simulate-unsaved-snapshot-policy',
    entry: 'functions/api-simulate-unsaved-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.simulateUnsavedSnapshotPolicy],
    access: { table: 'read', readsCursorKey: true },
    timeoutSeconds: 29,
    memoryMB: 1024,
  },
  {
    name: 'api-list-policy-runs',
    entry: 'functions/api-list-policy-runs.ts',
    routes: [PUBLIC_ROUTES.listPolicyRuns],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-run-snapshot-policy',
    entry: 'functions/api-run-snapshot-policy.ts',
    routes: [PUBLIC_ROUTES.runSnapshotPolicy],
    access: { table: 'write', startsWorkflows: ['run-policy'] },
  },
  {
    name: 'workflow-begin-policy-run',
    entry: 'functions/workflow-begin-policy-run.ts',
    // Stores a schedule's run and reads the target slices a page after another.
    access: { table: 'write' },
    timeoutSeconds: 30,
  },
  {
    name: 'workflow-take-policy-snapshot',
    entry: 'functions/workflow-take-policy-snapshot.ts',
    access: { table: 'write', startsWorkflows: ['create-snapshot'] },
  },
  {
    name: 'workflow-check-policy-snapshot',
    entry: 'functions/workflow-check-policy-snapshot.ts',
    access: { table: 'read' },
  },
  {
    name: 'workflow-prune-policy-snapshots',
    entry: 'functions/workflow-prune-policy-snapshots.ts',
    // Into the recycle bin, or for good through the workflow when the account keeps none.
    access: { table: 'write', startsWorkflows: ['delete-snapshot'] },
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-finish-policy-run',
    entry: 'functions/workflow-finish-policy-run.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-plan-billing-run',
    entry: 'functions/workflow-plan-billing-run.ts',
    // Reads which partitions of the month are done; writes nothing.
    access: { table: 'read' },
  },
  {
    name: 'workflow-run-billing',
    entry: 'functions/workflow-run-billing.ts',
    access: { table: 'write' },
    // One partition of a million snapshots (~62,500 records) per invocation, well within the limit.
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
  {
    name: 'workflow-summarize-billing-run',
    entry: 'functions/workflow-summarize-billing-run.ts',
    // Reads whether every partition of the month is done; writes nothing.
    access: { table: 'read' },
  },
  {
    name: 'api-report-agent-callback',
    entry: 'functions/api-report-agent-callback.ts',
    // Signed by the host's secret and checked by the handler, not the JWT authorizer.
    routes: [AGENT_ROUTES.reportAgentCallback],
    access: {
      readsHostSecrets: true,
      claimsCallbackNonces: true,
      sendsTaskResults: true,
      writesProgress: true,
    },
  },
  {
    name: 'dispatch-agent-command',
    entry: 'functions/dispatch-agent-command.ts',
    access: { readsHostSecrets: true, recordsCommandContexts: true },
    // The agent accepts a command at once (it reports through callbacks); 10 s each try at most.
    timeoutSeconds: 30,
  },
  {
    name: 'workflow-place-slice',
    entry: 'functions/workflow-place-slice.ts',
    access: { table: 'write', readsHostSecrets: true },
  },
  {
    name: 'workflow-complete-slice-build',
    entry: 'functions/workflow-complete-slice-build.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-fail-slice-creation',
    entry: 'functions/workflow-fail-slice-creation.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-confirm-slice-lock-for-snapshot',
    entry: 'functions/workflow-confirm-slice-lock-for-snapshot.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-mark-snapshot-captured',
    entry: 'functions/workflow-mark-snapshot-captured.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-register-snapshot',
    entry: 'functions/workflow-register-snapshot.ts',
    // Reads the manifest and checks every chunk it names (HeadObject); writes no object.
    access: { table: 'write', images: 'read' },
    // A large image names many chunks, checked a few at a time.
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-fail-snapshot-creation',
    entry: 'functions/workflow-fail-snapshot-creation.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-confirm-slice-lock',
    entry: 'functions/workflow-confirm-slice-lock.ts',
    access: { table: 'read' },
  },
  {
    name: 'workflow-prepare-disk-capture',
    entry: 'functions/workflow-prepare-disk-capture.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-keep-undo-snapshot',
    entry: 'functions/workflow-keep-undo-snapshot.ts',
    // Reads the manifest and checks every chunk it names, as RegisterSnapshot does.
    access: { table: 'write', images: 'read' },
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-drop-undo-snapshot',
    entry: 'functions/workflow-drop-undo-snapshot.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-register-final-snapshot',
    entry: 'functions/workflow-register-final-snapshot.ts',
    // Reads the manifest and checks every chunk it names, as RegisterSnapshot does.
    access: { table: 'write', images: 'read' },
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-fail-final-snapshot',
    entry: 'functions/workflow-fail-final-snapshot.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-complete-restore',
    entry: 'functions/workflow-complete-restore.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-complete-restore-if-committed',
    entry: 'functions/workflow-complete-restore-if-committed.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-fail-restore',
    entry: 'functions/workflow-fail-restore.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-complete-power-change',
    entry: 'functions/workflow-complete-power-change.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-fail-slice-operation',
    entry: 'functions/workflow-fail-slice-operation.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-complete-slice-deletion',
    entry: 'functions/workflow-complete-slice-deletion.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-delete-snapshot-image',
    entry: 'functions/workflow-delete-snapshot-image.ts',
    // Deletes the snapshot's manifest; its chunks are the chunk collection's.
    access: { table: 'read', images: 'delete' },
  },
  {
    name: 'workflow-verify-snapshot-chunks',
    entry: 'functions/workflow-verify-snapshot-chunks.ts',
    // Reads the manifest and a page of chunks back in full, and shows progress on the operation.
    access: { table: 'write', images: 'read' },
    timeoutSeconds: 300,
    // Reading 64 chunks of 4 MiB at once, decompressed and hashed: room for a page and its copies.
    memoryMB: 1024,
  },
  {
    name: 'workflow-plan-snapshot-copy',
    entry: 'functions/workflow-plan-snapshot-copy.ts',
    // Reads the source's manifest, checks each of its chunks in the target region (HeadObject)
    // and the target's chunk collection; shows the plan on the operation.
    access: { table: 'write', images: 'read' },
    // A large image names many chunks, checked a few at a time.
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-copy-snapshot-chunks',
    entry: 'functions/workflow-copy-snapshot-chunks.ts',
    // Copies a page of chunks from one region's bucket to another's (CopyObject: the bytes never
    // pass through the function) and shows progress.
    access: { table: 'write', images: 'write' },
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-settle-snapshot-copy',
    entry: 'functions/workflow-settle-snapshot-copy.ts',
    // Reads the source's manifest and the target region's sweep notices.
    access: { table: 'read', images: 'read' },
  },
  {
    name: 'workflow-register-snapshot-copy',
    entry: 'functions/workflow-register-snapshot-copy.ts',
    // Writes the copy's manifest, checks every chunk it names, copies again any a sweep took.
    access: { table: 'write', images: 'write' },
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-fail-snapshot-copy',
    entry: 'functions/workflow-fail-snapshot-copy.ts',
    // Removes the copy's manifest if it was written; the chunks are the collection's.
    access: { table: 'write', images: 'delete' },
  },
  {
    name: 'workflow-complete-snapshot-verification',
    entry: 'functions/workflow-complete-snapshot-verification.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-fail-snapshot-verification',
    entry: 'functions/workflow-fail-snapshot-verification.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-complete-snapshot-deletion',
    entry: 'functions/workflow-complete-snapshot-deletion.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-fail-snapshot-deletion',
    entry: 'functions/workflow-fail-snapshot-deletion.ts',
    access: { table: 'write' },
  },
  {
    name: 'reconcile-operation',
    entry: 'functions/reconcile-operation.ts',
    // Finishes an operation as its workflow's compensation would: the agent's commands (signed),
    // the records, the failure event, and a failed upload's chunks.
    access: { table: 'write', images: 'delete', readsHostSecrets: true },
    // Waits for the agent to stop a command and put the power back (a forced power-off: 90 s).
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
  {
    name: 'sweep-operations',
    entry: 'functions/sweep-operations.ts',
    // As the reconciler, and describes the executions of every workflow with an operation.
    access: {
      table: 'write',
      images: 'delete',
      readsHostSecrets: true,
      startsWorkflows: Object.values(WORKFLOW_OF_OPERATION),
    },
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
  {
    name: 'verify-stale-snapshots',
    entry: 'functions/verify-stale-snapshots.ts',
    // Reads the available snapshots' index, records the verify operations and starts them; the
    // workflow reads the images.
    access: { table: 'write', startsWorkflows: ['verify-snapshot'] },
  },
  {
    name: 'purge-expired-snapshots',
    entry: 'functions/purge-expired-snapshots.ts',
    // Reads the recycle bin's index, marks the expired snapshots deleting and starts their
    // deletions; the workflow deletes the images.
    access: { table: 'write', startsWorkflows: ['delete-snapshot'] },
    // Up to 500 snapshots a run, each a few writes and a StartExecution.
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-mark-storage-page',
    entry: 'functions/workflow-mark-storage-page.ts',
    // Reads a page of snapshots and their manifests; writes the pass's tally to the bucket and
    // clears the account's pending request.
    access: { table: 'write', images: 'write' },
    timeoutSeconds: 270,
    memoryMB: 1024,
  },
  {
    name: 'workflow-finish-storage-mark',
    entry: 'functions/workflow-finish-storage-mark.ts',
    // Reads the tally, stores the figures, deletes the tally.
    access: { table: 'write', images: 'delete' },
    timeoutSeconds: 270,
    memoryMB: 1024,
  },
  {
    name: 'workflow-publish-chunk-sweep',
    entry: 'functions/workflow-publish-chunk-sweep.ts',
    // Claims the account's sweep, reads the condemned list and writes the pass's notice.
    access: { table: 'write', images: 'write' },
  },
  {
    name: 'workflow-sweep-chunk-pages',
    entry: 'functions/workflow-sweep-chunk-pages.ts',
    // Lists the account's chunks against the tally and deletes those condemned long enough.
    access: { table: 'write', images: 'delete' },
    timeoutSeconds: SWEEP_STEP_TIMEOUT_SECONDS,
    memoryMB: 1024,
  },
  {
    name: 'workflow-finish-chunk-sweep',
    entry: 'functions/workflow-finish-chunk-sweep.ts',
    // Writes the condemned list, ends the notice, deletes the progress and the tally.
    access: { table: 'write', images: 'delete' },
    timeoutSeconds: 90,
  },
  {
    name: 'workflow-request-storage-mark',
    entry: 'functions/workflow-request-storage-mark.ts',
    // A conditional write of the account's pending request, then StartExecution.
    access: { table: 'write', startsWorkflows: ['storage-mark'] },
  },
  {
    name: 'request-storage-marks',
    entry: 'functions/request-storage-marks.ts',
    // Reads the index of marked accounts and starts a pass for each that has none pending.
    access: { table: 'write', startsWorkflows: ['storage-mark'] },
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-clean-up-failed-upload',
    entry: 'functions/workflow-clean-up-failed-upload.ts',
    // Deletes a failed upload's manifest; the chunks it wrote are the chunk collection's.
    access: { table: 'read', images: 'delete' },
  },
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

export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    // Daily at 00:15 UTC: the month-to-date estimate; on the 1st, the month just ended made final.
    name: 'billing-run-daily',
    expression: 'cron(15 0 * * ? *)',
    target: { workflow: 'billing-run' },
    input: {},
  },
  {
    // The safety net behind the reconcile rule: an event can be lost.
    name: 'sweep-operations',
    expression: 'rate(5 minutes)',
    target: { function: 'sweep-operations' },
    input: {},
  },
  {
    // Reads back a few snapshots a run that have gone 30 days without a check.
    name: 'verify-stale-snapshots',
    expression: 'rate(1 hour)',
    target: { function: 'verify-stale-snapshots' },
    input: {},
  },
  {
    // Deletes for good what has stayed its account's recycleBinDays in the recycle bin.
    name: 'purge-expired-snapshots',
    expression: 'rate(15 minutes)',
    target: { function: 'purge-expired-snapshots' },
    input: {},
  },
  {
    // Daily at 03:30 UTC, away from the billing run: a mark pass of every enrolled account, so
    // that the figures follow what snapshots taken and recovered since changed.
    name: 'request-storage-marks-daily',
    expression: 'cron(30 3 * * ? *)',
    target: { function: 'request-storage-marks' },
    input: {},
  },
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
