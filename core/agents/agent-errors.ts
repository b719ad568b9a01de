import { DomainError, domainError } from '../shared/domain-error.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import { AGENT_ERROR_CODES, type AgentErrorName } from './agent-error-codes.ts';

/*
 * Errors of the path to a host's agent. Their `name` is what Step Functions sees as the task's
 * error, so the state machines' `Retry` and `Catch` match these names: extend, never rename.
 */

/** The agent could not be reached, or failed on its side (5xx): worth a retry. */
export class AgentUnreachableError extends domainError('AgentUnreachable', 'AGENT_UNREACHABLE') {
  readonly hostId: string;

  constructor(hostId: string, reason: string) {
    super(`the agent of host ${hostId} could not be reached: ${reason}`);
    this.hostId = hostId;
  }
}

/**
 * The agent refused the command (a 4xx answer); `name` is the agent's own error name (such as
 * `SliceBusy`, `CommandConflict`, `InvalidCommand`), so the state machines can tell them apart,
 * and `code` that name's code. `status` is the HTTP status the agent answered.
 */
export class AgentRefusedError extends DomainError {
  override readonly name: AgentErrorName;
  readonly code: ErrorCode;
  readonly hostId: string;
  readonly status: number;

  constructor(hostId: string, name: AgentErrorName, status: number, detail: string) {
    super(`the agent of host ${hostId} refused the command (${status} ${name}): ${detail}`);
    this.name = name;
    this.code = AGENT_ERROR_CODES[name];
    this.hostId = hostId;
    this.status = status;
  }
}
