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
  readonly uploadedKeys: readonly string[] | undefined;

  constructor(
    name: AgentErrorName,
    message: string,
    options: { cause?: unknown; uploadedKeys?: readonly string[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = name;
    this.code = agentErrorCode(name);
    this.uploadedKeys = options.uploadedKeys;
  }
}

/** The error body of a failed command: its name, the name's code and the message. */
export function errorBody(
  name: AgentErrorName,
  message: string,
  uploadedKeys?: readonly string[],
): AgentErrorBody {
  return { name, code: agentErrorCode(name), message, ...(uploadedKeys ? { uploadedKeys } : {}) };
}

/** Maps anything thrown to the error body a caller sees; unknown errors become `AgentError`. */
export function toErrorBody(error: unknown): AgentErrorBody {
  if (error instanceof AgentFailure)
    return errorBody(error.name, error.message, error.uploadedKeys);
  const message = error instanceof Error ? error.message : String(error);
  return errorBody(AGENT_ERRORS.AgentError, message);
}
