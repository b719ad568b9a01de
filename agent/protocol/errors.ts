import { AGENT_ERROR_CODES, type AgentErrorName } from '../../core/agents/agent-error-codes.ts';
import type { ErrorCode } from '../../core/shared/error-codes.ts';

export { type AgentErrorName, isAgentErrorName } from '../../core/agents/agent-error-codes.ts';

/**
 * Error names the agent reports, in command failures and in problem+json answers, each beside its
 * code from the one table of codes (`core/agents/agent-error-codes.ts` says what each means).
 * They are the contract the state machines' `Retry` / `Catch` `ErrorEquals` match: extend, never
 * rename.
 */
export const AGENT_ERRORS = Object.fromEntries(
  Object.keys(AGENT_ERROR_CODES).map((name) => [name, name]),
) as { readonly [Name in AgentErrorName]: Name };

/** Every error name, for tests that check the state machines only match names that exist. */
export const AGENT_ERROR_NAMES = Object.keys(AGENT_ERROR_CODES) as readonly AgentErrorName[];

/** The code of an agent error name. */
export function agentErrorCode(name: AgentErrorName): ErrorCode {
  return AGENT_ERROR_CODES[name];
}

/** Worth retrying the same command later (under a new command ID): the cause may be gone. */
export const TRANSIENT_AGENT_ERRORS: readonly AgentErrorName[] = [
  AGENT_ERRORS.StoreUnavailable,
  AGENT_ERRORS.SliceBusy,
  AGENT_ERRORS.AgentRestarted,
];

/** The `error` of a failed command. */
export interface AgentErrorBody {
  readonly name: AgentErrorName;
  /** The name's code; absent in failures journaled before agents reported codes. */
  readonly code?: ErrorCode;
  readonly message: string;
}
