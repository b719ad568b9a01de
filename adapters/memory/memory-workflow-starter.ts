import type {
  ExecutionState,
  ExecutionStatus,
  PolicyRunWorkflowInput,
  StorageMarkWorkflowInput,
  WorkflowInput,
  WorkflowName,
  WorkflowStarter,
} from '../../core/ports/workflow-starter.ts';

/** A workflow start as recorded. */
export interface StartedWorkflow {
  readonly workflow: WorkflowName;
  readonly input: WorkflowInput;
}

/**
 * Records workflow starts instead of running them; one start per operation, like the real one.
 * A started execution is RUNNING until `end` says how it ended.
 */
export class MemoryWorkflowStarter implements WorkflowStarter {
  readonly started: StartedWorkflow[] = [];
  /** The policy runs started, one each, as the run-policy workflow would receive them. */
  readonly policyRuns: Required<PolicyRunWorkflowInput>[] = [];
  /** The storage mark passes started, one each. */
  readonly storageMarks: StorageMarkWorkflowInput[] = [];
  readonly #ended = new Map<string, ExecutionStatus>();

  /** The execution of `operationId` ended with `status` (a test's StopExecution, timeout…). */
  end(operationId: string, status: Exclude<ExecutionStatus, 'RUNNING' | 'MISSING'>): void {
    this.#ended.set(operationId, status);
  }

  async describe(workflow: WorkflowName, operationId: string): Promise<ExecutionState> {
    const started = this.started.find(
      (each) => each.workflow === workflow && each.input.operationId === operationId,
    );
    if (!started) return { status: 'MISSING', input: null };
    return {
      status: this.#ended.get(operationId) ?? 'RUNNING',
      input: structuredClone(started.input),
    };
  }

  async start(workflow: WorkflowName, input: WorkflowInput): Promise<void> {
    if (this.started.some((each) => each.input.operationId === input.operationId)) return;
    this.started.push({ workflow, input: structuredClone(input) });
  }

  async startPolicyRun(input: Required<PolicyRunWorkflowInput>): Promise<void> {
    if (this.policyRuns.some((each) => each.runId === input.runId)) return;
    this.policyRuns.push({ ...input });
  }

  async startStorageMark(input: StorageMarkWorkflowInput): Promise<void> {
    if (this.storageMarks.some((each) => each.markId === input.markId)) return;
    this.storageMarks.push({ ...input });
  }
}
