import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { WORKFLOW_OF_OPERATION } from '../workflows/operation-workflows.ts';
import { type ReconcileOperationInput, reconcileOperation } from './reconcile-operation.ts';

/**
 * How old a running operation must be before the sweep asks about its execution: the request
 * stores the operation just before it starts the execution, so a younger one may have none yet.
 */
export const SWEEP_GRACE_SECONDS = 120;
/** Running operations looked at per sweep; the next sweep (5 minutes later) takes the rest. */
export const SWEEP_LIMIT = 100;

/** What one sweep did. */
export interface SweepReport {
  /** Running operations whose execution was asked about. */
  readonly checked: number;
  /** Those whose execution had ended, now finished. */
  readonly reconciled: readonly string[];
  /** Those that could not be finished this time (an agent unreachable…): the next sweep retries. */
  readonly failed: ReadonlyArray<{ readonly operationId: string; readonly error: string }>;
}

type Deps = Parameters<typeof reconcileOperation>[0] & Pick<Ports, 'workflows'>;

/**
 * The scheduled safety net behind the status-change events (one can be lost): every operation
 * still `running` whose execution is no longer RUNNING (ended, or never started) is reconciled as
 * its event would have done. Reads only the running operations, never the whole table.
 */
export async function sweepOperations(deps: Deps): Promise<SweepReport> {
  const startedBefore = toIsoTime(
    new Date(deps.clock.now().getTime() - SWEEP_GRACE_SECONDS * 1000),
  );
  const running = await deps.operations.listRunning(startedBefore, SWEEP_LIMIT);
  const reconciled: string[] = [];
  const failed: Array<{ operationId: string; error: string }> = [];
  for (const operation of running) {
    try {
      const execution = await deps.workflows.describe(
        WORKFLOW_OF_OPERATION[operation.type],
        operation.id,
      );
      // RUNNING is still under way; SUCCEEDED ended its operation in its last step.
      if (execution.status === 'RUNNING' || execution.status === 'SUCCEEDED') continue;
      const input: ReconcileOperationInput = {
        accountId: operation.accountId,
        operationId: operation.id,
        executionStatus: execution.status,
        workflowInput: execution.input,
      };
      const outcome = await reconcileOperation(deps, input);
      if (outcome.reconciled) reconciled.push(operation.id);
    } catch (error) {
      failed.push({
        operationId: operation.id,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return { checked: running.length, reconciled, failed };
}
