import { DomainError } from '../core/shared/domain-error.ts';
import type { ErrorCode } from '../core/shared/error-codes.ts';
import {
  AGENT_ERRORS,
  type AgentErrorBody,
  type AgentErrorName,
  agentErrorCode,
} from './protocol/errors.ts';

/** A command failure with a protocol error name, reported as is to the caller. */
export class AgentFailure extends DomainError {
  override readonly name: AgentErrorName;
  readonly code: ErrorCode;

  constructor(name: AgentErrorName, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = name;
    this.code = agentErrorCode(name);
  }
}

/** The error body of a failed command: its name, the name's code and the message. */
export function errorBody(name: AgentErrorName, message: string): AgentErrorBody {
  return { name, code: agentErrorCode(name), message };
}

/** Maps anything thrown to the error body a caller sees; unknown errors become `AgentError`. */
export function toErrorBody(error: unknown): AgentErrorBody {
  if (error instanceof AgentFailure) return errorBody(error.name, error.message);
  const message = error instanceof Error ? error.message : String(error);
  return errorBody(AGENT_ERRORS.AgentError, message);
}
