import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { WorkflowTasks } from '../../core/ports/workflow-tasks.ts';
import { WorkflowTaskGoneError } from '../../core/workflows/workflow-task-errors.ts';

/** What Step Functions answers for a token whose task no longer waits. */
const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);
/** SendTaskFailure's limits on `error` and `cause`. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

/** Turns Step Functions' answers for a task that no longer waits into WorkflowTaskGoneError. */
async function unlessGone(sending: Promise<unknown>): Promise<void> {
  try {
    await sending;
  } catch (error) {
    if (error instanceof Error && GONE.has(error.name)) throw new WorkflowTaskGoneError(error.name);
    throw error;
  }
}

/** WorkflowTasks on Step Functions task tokens (SendTaskHeartbeat, SendTaskSuccess, SendTaskFailure). */
export class StepFunctionsWorkflowTasks implements WorkflowTasks {
  readonly #client: SFNClient;

  constructor(options: { client: SFNClient }) {
    this.#client = options.client;
  }

  async heartbeat(taskToken: string): Promise<void> {
    await unlessGone(this.#client.send(new SendTaskHeartbeatCommand({ taskToken })));
  }

  async succeed(taskToken: string, output: unknown): Promise<void> {
    await unlessGone(
      this.#client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await unlessGone(
      this.#client.send(
        new SendTaskFailureCommand({
          taskToken,
          error: error.slice(0, MAX_ERROR_LENGTH),
          cause: cause.slice(0, MAX_CAUSE_LENGTH),
        }),
      ),
    );
  }
}
