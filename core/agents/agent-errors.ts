/*
 * Errors of the path to a host's agent. Their `name` is what Step Functions sees as the task's
 * error, so the state machines' `Retry` and `Catch` match these names: extend, never rename.
 */

/** The agent could not be reached, or failed on its side (5xx): worth a retry. */
export class AgentUnreachableError extends Error {
  override readonly name = 'AgentUnreachable';
  readonly hostId: string;

  constructor(hostId: string, reason: string) {
    super(`the agent of host ${hostId} could not be reached: ${reason}`);
    this.hostId = hostId;
  }
}

/**
 * The agent refused the command (a 4xx answer); `name` is the agent's own error name (such as
 * `SliceBusy`, `CommandConflict`, `InvalidCommand`), so the state machines can tell them apart.
 */
export class AgentRefusedError extends Error {
  override readonly name: string;
  readonly hostId: string;
  readonly status: number;

  constructor(hostId: string, name: string, status: number, detail: string) {
    super(`the agent of host ${hostId} refused the command (${status} ${name}): ${detail}`);
    this.name = name;
    this.hostId = hostId;
    this.status = status;
  }
}
