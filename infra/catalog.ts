/**
 * The one list of the backend's functions, workflows and schedules. The CDK app deploys from it and
 * the embedded local cloud runs from it, so both serve the same handler modules and ASL files.
 * Plain data only: importing it must not load aws-cdk-lib.
 */

/** The AWS-side access a function needs; CDK grants exactly this, nothing more. */
export interface FunctionAccess {
  readonly table?: 'read' | 'write';
  readonly images?: 'read' | 'write' | 'delete';
  readonly bus?: boolean;
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
}

export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** API Gateway route path, e.g. `/v1/slices/{id}`. */
  readonly path: string;
  /** `jwt`: behind the JWT authorizer; `none`: public or authenticated by the handler itself. */
  readonly auth: 'jwt' | 'none';
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

/** Environment variable names every handler reads its wiring from (same in AWS and locally). */
export const ENV = {
  tableName: 'TABLE_NAME',
  imagesBucket: 'IMAGES_BUCKET',
  eventBusName: 'EVENT_BUS_NAME',
  /** JSON object: workflow name → state machine ARN. */
  stateMachineArns: 'STATE_MACHINE_ARNS',
  /** JSON array of `{ id, name }`: the regions this deployment serves. */
  regions: 'REGIONS',
  /** Secrets Manager secret id of the host registry (agents' URLs, regions and signing secrets). */
  hostRegistrySecret: 'HOST_REGISTRY_SECRET',
  /** Secrets Manager secret id of the key that signs list cursors (tamper-proof pagination). */
  cursorKeySecret: 'CURSOR_KEY_SECRET',
  /**
   * Requests per second each account may make, sustained, over all authenticated routes together
   * (default in `infra/api-limits.ts`); `0` turns the per-account limit off.
   */
  accountRateLimitPerSecond: 'ACCOUNT_RATE_LIMIT_PER_SECOND',
  /** The most requests an account may make at once after a quiet spell (default in `api-limits`). */
  accountRateLimitBurst: 'ACCOUNT_RATE_LIMIT_BURST',
} as const;

/** Placeholder key, in ASL files, for a function's ARN: `api-get-regions` → `ApiGetRegionsFunctionArn`. */
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
  imagesBucket: 'ImagesBucket',
} as const;

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'api-get-regions',
    entry: 'functions/api-get-regions.ts',
    routes: [{ method: 'GET', path: '/v1/regions', auth: 'jwt' }],
    access: {},
  },
  {
    name: 'api-create-slice',
    entry: 'functions/api-create-slice.ts',
    routes: [{ method: 'POST', path: '/v1/slices', auth: 'jwt' }],
    // Also registers the source snapshot's reader: a conditional write on the snapshot.
    access: { table: 'write', startsWorkflows: ['create-slice'] },
  },
  {
    name: 'api-list-slices',
    entry: 'functions/api-list-slices.ts',
    routes: [{ method: 'GET', path: '/v1/slices', auth: 'jwt' }],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-slice',
    entry: 'functions/api-get-slice.ts',
    routes: [{ method: 'GET', path: '/v1/slices/{id}', auth: 'jwt' }],
    access: { table: 'read' },
  },
  {
    name: 'api-change-slice-power',
    entry: 'functions/api-change-slice-power.ts',
    routes: [{ method: 'POST', path: '/v1/slices/{id}/power', auth: 'jwt' }],
    access: { table: 'write', startsWorkflows: ['change-slice-power'] },
  },
  {
    name: 'api-delete-slice',
    entry: 'functions/api-delete-slice.ts',
    routes: [{ method: 'DELETE', path: '/v1/slices/{id}', auth: 'jwt' }],
    // A slice whose build failed is deleted at once, with its event.
    access: { table: 'write', bus: true, startsWorkflows: ['delete-slice'] },
  },
  {
    name: 'api-create-snapshot',
    entry: 'functions/api-create-snapshot.ts',
    routes: [{ method: 'POST', path: '/v1/slices/{id}/snapshots', auth: 'jwt' }],
    access: { table: 'write', bus: true, startsWorkflows: ['create-snapshot'] },
  },
  {
    name: 'api-list-snapshots',
    entry: 'functions/api-list-snapshots.ts',
    routes: [{ method: 'GET', path: '/v1/snapshots', auth: 'jwt' }],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-snapshot',
    entry: 'functions/api-get-snapshot.ts',
    routes: [{ method: 'GET', path: '/v1/snapshots/{id}', auth: 'jwt' }],
    access: { table: 'read' },
  },
  {
    name: 'api-rename-snapshot',
    entry: 'functions/api-rename-snapshot.ts',
    routes: [{ method: 'PATCH', path: '/v1/snapshots/{id}', auth: 'jwt' }],
    access: { table: 'write', bus: true },
  },
  {
    name: 'api-delete-snapshot',
    entry: 'functions/api-delete-snapshot.ts',
    routes: [{ method: 'DELETE', path: '/v1/snapshots/{id}', auth: 'jwt' }],
    access: { table: 'write', startsWorkflows: ['delete-snapshot'] },
  },
  {
    name: 'api-restore-snapshot',
    entry: 'functions/api-restore-snapshot.ts',
    routes: [{ method: 'POST', path: '/v1/snapshots/{id}/restore', auth: 'jwt' }],
    access: { table: 'write', bus: true, startsWorkflows: ['restore-slice'] },
  },
  {
    name: 'api-list-operations',
    entry: 'functions/api-list-operations.ts',
    routes: [{ method: 'GET', path: '/v1/operations', auth: 'jwt' }],
    access: { table: 'read', readsCursorKey: true },
  },
  {
    name: 'api-get-operation',
    entry: 'functions/api-get-operation.ts',
    routes: [{ method: 'GET', path: '/v1/operations/{id}', auth: 'jwt' }],
    access: { table: 'read' },
  },
  {
    name: 'api-get-openapi',
    entry: 'functions/api-get-openapi.ts',
    routes: [{ method: 'GET', path: '/openapi.json', auth: 'none' }],
    access: {},
  },
  {
    name: 'api-get-charges',
    entry: 'functions/api-get-charges.ts',
    routes: [{ method: 'GET', path: '/v1/billing/charges', auth: 'jwt' }],
    access: { table: 'read' },
  },
  {
    name: 'billing-plan-run',
    entry: 'functions/billing-plan-run.ts',
    // Reads which partitions of the month are done; writes nothing.
    access: { table: 'read' },
  },
  {
    name: 'billing-run',
    entry: 'functions/billing-run.ts',
    access: { table: 'write', bus: true },
    // One partition of a million snapshots (~62,500 records) per invocation, well within the limit.
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
  {
    name: 'billing-summarize-run',
    entry: 'functions/billing-summarize-run.ts',
    // Reads whether every partition of the month is done; writes nothing.
    access: { table: 'read' },
  },
  {
    name: 'agent-callback',
    entry: 'functions/agent-callback.ts',
    // Signed by the host's secret and checked by the handler, not the JWT authorizer.
    routes: [{ method: 'POST', path: '/agent/v1/callbacks', auth: 'none' }],
    access: {
      readsHostSecrets: true,
      claimsCallbackNonces: true,
      sendsTaskResults: true,
      writesProgress: true,
    },
  },
  {
    name: 'workflow-echo',
    entry: 'functions/workflow-echo.ts',
    access: {},
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
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-fail-slice-creation',
    entry: 'functions/workflow-fail-slice-creation.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-lock-slice',
    entry: 'functions/workflow-lock-slice.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-mark-snapshot-captured',
    entry: 'functions/workflow-mark-snapshot-captured.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-register-snapshot',
    entry: 'functions/workflow-register-snapshot.ts',
    // Reads the manifest and checks every chunk it names (HeadObject); writes no object.
    access: { table: 'write', bus: true, images: 'read' },
    // A large image names many chunks, checked a few at a time.
    timeoutSeconds: 300,
  },
  {
    name: 'workflow-fail-snapshot',
    entry: 'functions/workflow-fail-snapshot.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-confirm-slice-lock',
    entry: 'functions/workflow-confirm-slice-lock.ts',
    access: { table: 'read' },
  },
  {
    name: 'workflow-complete-restore',
    entry: 'functions/workflow-complete-restore.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-settle-restore',
    entry: 'functions/workflow-settle-restore.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-fail-restore',
    entry: 'functions/workflow-fail-restore.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-complete-power-change',
    entry: 'functions/workflow-complete-power-change.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-fail-slice-operation',
    entry: 'functions/workflow-fail-slice-operation.ts',
    access: { table: 'write' },
  },
  {
    name: 'workflow-complete-slice-deletion',
    entry: 'functions/workflow-complete-slice-deletion.ts',
    access: { table: 'write', bus: true },
  },
  {
    name: 'workflow-delete-snapshot-image',
    entry: 'functions/workflow-delete-snapshot-image.ts',
    // Reads every manifest of the account, then deletes the chunks none of them names.
    access: { table: 'write', images: 'delete' },
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
  {
    name: 'workflow-complete-snapshot-deletion',
    entry: 'functions/workflow-complete-snapshot-deletion.ts',
    access: { table: 'write', bus: true },
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
    access: { table: 'write', bus: true, images: 'delete', readsHostSecrets: true },
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
      bus: true,
      images: 'delete',
      readsHostSecrets: true,
      startsWorkflows: [
        'create-slice',
        'create-snapshot',
        'restore-slice',
        'change-slice-power',
        'delete-slice',
        'delete-snapshot',
      ],
    },
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
  {
    name: 'workflow-clean-up-snapshot-upload',
    entry: 'functions/workflow-clean-up-snapshot-upload.ts',
    // Deletes a failed upload's manifest and orphan chunks, after reading every manifest.
    access: { table: 'write', images: 'delete' },
    timeoutSeconds: 900,
    memoryMB: 1024,
  },
];

export const WORKFLOWS: readonly WorkflowSpec[] = [
  {
    name: 'echo',
    file: 'state-machines/echo.asl.json',
    invokes: ['workflow-echo'],
    timeoutSeconds: 300,
  },
  {
    name: 'create-slice',
    file: 'state-machines/create-slice.asl.json',
    invokes: [
      'workflow-place-slice',
      'dispatch-agent-command',
      'workflow-complete-slice-build',
      'workflow-fail-slice-creation',
    ],
    // Writing a large image from a snapshot is the longest step (6 h); the rest takes seconds.
    timeoutSeconds: 28_800,
  },
  {
    name: 'create-snapshot',
    file: 'state-machines/create-snapshot.asl.json',
    invokes: [
      'workflow-lock-slice',
      'dispatch-agent-command',
      'workflow-mark-snapshot-captured',
      'workflow-register-snapshot',
      'workflow-fail-snapshot',
      'workflow-clean-up-snapshot-upload',
    ],
    // Uploading a large image is the longest step (6 h); the rest takes seconds to minutes.
    // core/snapshots/create-snapshot-limits.ts holds the same figure: uploads expire with it.
    timeoutSeconds: 28_800,
  },
  {
    name: 'restore-slice',
    file: 'state-machines/restore-slice.asl.json',
    invokes: [
      'workflow-confirm-slice-lock',
      'dispatch-agent-command',
      'workflow-complete-restore',
      'workflow-settle-restore',
      'workflow-fail-restore',
    ],
    // Writing a large image is the longest step (6 h). core/workflows/workflow-limits.ts holds
    // the same figure: the snapshot's reader expires with it.
    timeoutSeconds: 28_800,
  },
  {
    name: 'change-slice-power',
    file: 'state-machines/change-slice-power.asl.json',
    invokes: [
      'workflow-confirm-slice-lock',
      'dispatch-agent-command',
      'workflow-complete-power-change',
      'workflow-fail-slice-operation',
    ],
    timeoutSeconds: 3_600,
  },
  {
    name: 'delete-slice',
    file: 'state-machines/delete-slice.asl.json',
    invokes: [
      'workflow-confirm-slice-lock',
      'dispatch-agent-command',
      'workflow-complete-slice-deletion',
      'workflow-fail-slice-operation',
    ],
    timeoutSeconds: 3_600,
  },
  {
    name: 'delete-snapshot',
    file: 'state-machines/delete-snapshot.asl.json',
    invokes: [
      'workflow-delete-snapshot-image',
      'workflow-complete-snapshot-deletion',
      'workflow-fail-snapshot-deletion',
    ],
    // Chunks are deleted only while no upload of the account runs: it may wait for hours.
    timeoutSeconds: 28_800,
  },
  {
    name: 'billing-run',
    file: 'state-machines/billing-run.asl.json',
    invokes: ['billing-plan-run', 'billing-run', 'billing-summarize-run'],
    // 16 partitions, 4 at a time, each up to 15 min a try and 4 tries: about 4 h at the very
    // worst; a day's run is done long before the next day's starts.
    timeoutSeconds: 21_600,
  },
];

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

/** Regions served when none are configured: the local default. */
export const DEFAULT_REGIONS = [
  { id: 'fra1', name: 'Frankfurt 1' },
  { id: 'nyc1', name: 'New York 1' },
] as const;
