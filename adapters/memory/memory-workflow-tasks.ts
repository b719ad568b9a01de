import type { WorkflowTasks } from '../../core/ports/workflow-tasks.ts';
import { WorkflowTaskGoneError } from '../../core/workflows/workflow-task-errors.ts';

/** A report as the memory workflow tasks recorded it. */
export type TaskReport =
  | { readonly taskToken: string; readonly kind: 'heartbeat' }
  | { readonly taskToken: string; readonly kind: 'success'; readonly output: unknown }
  | {
      readonly taskToken: string;
      readonly kind: 'failure';
      readonly error: string;
      readonly cause: string;
    };

/** Waiting tasks in memory: `wait` opens a token, a success or failure settles it. */
export class MemoryWorkflowTasks implements WorkflowTasks {
  readonly reports: TaskReport[] = [];
  readonly #open = new Set<string>();

  wait(taskToken: string): void {
    this.#open.add(taskToken);
  }

  async heartbeat(taskToken: string): Promise<void> {
    this.#requireOpen(taskToken);
    this.reports.push({ taskToken, kind: 'heartbeat' });
  }

  async succeed(taskToken: string, output: unknown): Promise<void> {
    this.#requireOpen(taskToken);
    this.#open.delete(taskToken);
    this.reports.push({ taskToken, kind: 'success', output: structuredClone(output) });
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    this.#requireOpen(taskToken);
    this.#open.delete(taskToken);
    this.reports.push({ taskToken, kind: 'failure', error, cause });
  }

  #requireOpen(taskToken: string): void {
    if (!this.#open.has(taskToken)) throw new WorkflowTaskGoneError('no task waits on this token');
  }
}
