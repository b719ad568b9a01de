/**
 * Reports on workflow tasks that wait for an outside party (Step Functions task tokens). Each
 * throws WorkflowTaskGoneError when the task no longer waits (settled, timed out or unknown).
 */
export interface WorkflowTasks {
  /** The task is still being worked on: its heartbeat timeout starts again. */
  heartbeat(taskToken: string): Promise<void>;

  /** The task succeeded with `output` (a JSON value), which becomes the task's result. */
  succeed(taskToken: string, output: unknown): Promise<void>;

  /** The task failed: `error` is the name the workflow's `Catch` matches, `cause` says why. */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
