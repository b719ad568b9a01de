import type { WorkflowName as DeployedWorkflowName } from '../../blueprint/facts.ts';

/**
 * Workflows the core starts for an operation, one per operation type (the billing run is started
 * by a schedule, and neither a policy's run nor a storage mark pass is an operation).
 */
export type WorkflowName = Exclude<
  DeployedWorkflowName,
  'billing-run' | 'run-policy' | 'storage-mark'
>;

/** What the storage-mark workflow receives: the account, and the pass's own id. */
export interface StorageMarkWorkflowInput {
  readonly accountId: string;
  readonly markId: string;
}

/**
 * What the run-policy workflow receives. A schedule starts it without `runId` (its first step
 * begins the run); `POST /{id}/run` begins the run itself and names it.
 */
export interface PolicyRunWorkflowInput {
  readonly accountId: string;
  readonly policyId: string;
  readonly runId?: string;
}

/** What every workflow receives: the account and the operation it carries out, plus its own ids. */
export interface WorkflowInput {
  readonly accountId: string;
  readonly operationId: string;
  readonly [field: string]: string | number | boolean | null;
}

/** How a workflow's execution stands: Step Functions' statuses, or `MISSING` if it never started. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'MISSING';

/** An operation's execution: its status and the input it was started with (null when missing). */
export interface ExecutionState {
  readonly status: ExecutionStatus;
  readonly input: WorkflowInput | null;
}

/** Starts long-running workflows, and says how they stand. */
export interface WorkflowStarter {
  /**
   * Starts `workflow` for `input.operationId` at most once: starting it again for the same
   * operation (a retried request) starts nothing new and succeeds.
   */
  start(workflow: WorkflowName, input: WorkflowInput): Promise<void>;

  /**
   * Starts the run-policy workflow for a begun run (`input.runId`), at most once: the execution is
   * named after the run.
   */
  startPolicyRun(input: Required<PolicyRunWorkflowInput>): Promise<void>;

  /** Starts the storage-mark workflow for one pass of an account; the execution is named after it. */
  startStorageMark(input: StorageMarkWorkflowInput): Promise<void>;

  /** How the execution of `workflow` for `operationId` stands; `MISSING` when there is none. */
  describe(workflow: WorkflowName, operationId: string): Promise<ExecutionState>;
}
