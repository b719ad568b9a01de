import type { Ports } from '../ports/ports.ts';
import { recordCommandProgress } from './record-command-progress.ts';

/** What an agent reports on a command, verified already: heartbeats, then its outcome. */
export type AgentReport =
  | {
      readonly kind: 'heartbeat';
      readonly taskToken: string;
      readonly progress?: { readonly bytesDone: number; readonly bytesTotal: number };
    }
  | { readonly kind: 'success'; readonly taskToken: string; readonly result?: unknown }
  | {
      readonly kind: 'failure';
      readonly taskToken: string;
      readonly error: { readonly name: string; readonly message: string };
    };

/**
 * Passes an agent's report on to the workflow task waiting for it: a heartbeat keeps the task
 * alive (and its progress, if any, is shown on the command's operation and snapshot), a success
 * resumes it with the command's result as output, a failure fails it under the agent's error name
 * (what the workflow's `Catch` matches). WorkflowTaskGoneError when the task no longer waits, so
 * the agent stops reporting. `hostId` is the authenticated host that sent the report.
 */
export async function reportAgentCallback(
  deps: Pick<Ports, 'workflowTasks' | 'commandContexts' | 'snapshots' | 'operations' | 'clock'>,
  report: AgentReport,
  hostId?: string,
): Promise<void> {
  switch (report.kind) {
    case 'heartbeat':
      await deps.workflowTasks.heartbeat(report.taskToken);
      if (report.progress && hostId) {
        await recordCommandProgress(deps, {
          taskToken: report.taskToken,
          hostId,
          ...report.progress,
        });
      }
      return;
    case 'success':
      return deps.workflowTasks.succeed(report.taskToken, report.result ?? {});
    case 'failure':
      return deps.workflowTasks.fail(report.taskToken, report.error.name, report.error.message);
  }
}
