import { AGENT_ERRORS, type AgentErrorBody, type AgentErrorName } from './protocol/errors.ts';

/** A command failure with a protocol error name, reported as is to the caller. */
export class AgentFailure extends Error {
  override readonly name: AgentErrorName;
  readonly uploadedKeys: readonly string[] | undefined;

  constructor(
    name: AgentErrorName,
    message: string,
    options: { cause?: unknown; uploadedKeys?: readonly string[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = name;
    this.uploadedKeys = options.uploadedKeys;
  }
}

/** Maps anything thrown to the error body a caller sees; unknown errors become `AgentError`. */
export function toErrorBody(error: unknown): AgentErrorBody {
  if (error instanceof AgentFailure) {
    return {
      name: error.name,
      message: error.message,
      ...(error.uploadedKeys ? { uploadedKeys: error.uploadedKeys } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name: AGENT_ERRORS.AgentError, message };
}
