/** Workflows the core starts; each is `state-machines/<name>.asl.json`. */
export type WorkflowName =
  | 'create-slice'
  | 'create-snapshot'
  | 'restore-slice'
  | 'delete-snapshot'
  | 'change-slice-power'
  | 'delete-slice';

/** What every workflow receives: the account and the operation it carries out, plus its own ids. */
export interface WorkflowInput {
  readonly accountId: string;
  readonly operationId: string;
  readonly [field: string]: string | number | boolean | null;
}

/** Starts long-running workflows. */
export interface WorkflowStarter {
  /**
   * Starts `workflow` for `input.operationId` at most once: starting it again for the same
   * operation (a retried request) starts nothing new and succeeds.
   */
  start(workflow: WorkflowName, input: WorkflowInput): Promise<void>;
}
