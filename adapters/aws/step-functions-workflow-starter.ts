import {
  DescribeExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type {
  ExecutionState,
  ExecutionStatus,
  PolicyRunWorkflowInput,
  StorageMarkWorkflowInput,
  WorkflowInput,
  WorkflowName,
  WorkflowStarter,
} from '../../core/ports/workflow-starter.ts';

/**
 * WorkflowStarter on Step Functions; `describe` is DescribeExecution of the operation's execution. The execution is named after the operation id, so a retried
 * request cannot start a second execution: Step Functions refuses a name already used.
 */
export class StepFunctionsWorkflowStarter implements WorkflowStarter {
  readonly #client: SFNClient;
  readonly #stateMachineArns: Readonly<Record<string, string>>;

  /** `stateMachineArns` maps each workflow name to its state machine ARN. */
  constructor(options: { client: SFNClient; stateMachineArns: Readonly<Record<string, string>> }) {
    this.#client = options.client;
    this.#stateMachineArns = options.stateMachineArns;
  }

  #stateMachineArn(workflow: WorkflowName | 'run-policy' | 'storage-mark'): string {
    const stateMachineArn = this.#stateMachineArns[workflow];
    if (!stateMachineArn)
      throw new Error(`no state machine is configured for workflow ${workflow}`);
    return stateMachineArn;
  }

  async describe(workflow: WorkflowName, operationId: string): Promise<ExecutionState> {
    // arn:…:stateMachine:<name> → arn:…:execution:<name>:<execution name>
    const executionArn = `${this.#stateMachineArn(workflow).replace(':stateMachine:', ':execution:')}:${operationId}`;
    try {
      const execution = await this.#client.send(new DescribeExecutionCommand({ executionArn }));
      return {
        status: (execution.status ?? 'RUNNING') as ExecutionStatus,
        input: execution.input ? (JSON.parse(execution.input) as WorkflowInput) : null,
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') {
        return { status: 'MISSING', input: null };
      }
      throw error;
    }
  }

  start(workflow: WorkflowName, input: WorkflowInput): Promise<void> {
    return this.#startOnce(workflow, input.operationId, input);
  }

  startPolicyRun(input: Required<PolicyRunWorkflowInput>): Promise<void> {
    return this.#startOnce('run-policy', input.runId, input);
  }

  startStorageMark(input: StorageMarkWorkflowInput): Promise<void> {
    return this.#startOnce('storage-mark', input.markId, input);
  }

  async #startOnce(
    workflow: WorkflowName | 'run-policy' | 'storage-mark',
    name: string,
    input: WorkflowInput | PolicyRunWorkflowInput | StorageMarkWorkflowInput,
  ): Promise<void> {
    try {
      await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn(workflow),
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // The execution exists already (started by an earlier try): nothing to do.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
      throw error;
    }
  }
}
