import type {
  WorkflowInput,
  WorkflowName,
  WorkflowStarter,
} from '../../core/ports/workflow-starter.ts';

/** A workflow start as recorded. */
export interface StartedWorkflow {
  readonly workflow: WorkflowName;
  readonly input: WorkflowInput;
}

/** Records workflow starts instead of running them; one start per operation, like the real one. */
export class MemoryWorkflowStarter implements WorkflowStarter {
  readonly started: StartedWorkflow[] = [];

  async start(workflow: WorkflowName, input: WorkflowInput): Promise<void> {
    if (this.started.some((each) => each.input.operationId === input.operationId)) return;
    this.started.push({ workflow, input: structuredClone(input) });
  }
}
