import { domainError } from '../shared/domain-error.ts';

/**
 * The workflow task a callback reports on no longer waits: it finished, timed out or never
 * existed. Whoever reports on it should stop.
 */
export class WorkflowTaskGoneError extends domainError(
  'WorkflowTaskGoneError',
  'WORKFLOW_TASK_GONE',
) {
  constructor(reason: string) {
    super(`the workflow task no longer waits for this report: ${reason}`);
  }
}
