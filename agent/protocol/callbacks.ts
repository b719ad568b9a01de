import type { CommandResult, Progress } from './commands.ts';
import type { AgentErrorBody } from './errors.ts';

export type CallbackKind = 'heartbeat' | 'success' | 'failure';

/**
 * What the agent posts, signed, to a command's `callback.url` (with `x-agent-host` naming itself):
 * heartbeats at a steady interval while the command runs, then exactly one success or failure.
 * A callback may be delivered more than once (retries); the task token makes that harmless.
 */
export interface AgentCallback {
  readonly taskToken: string;
  readonly commandId: string;
  readonly kind: CallbackKind;
  readonly progress?: Progress;
  readonly result?: CommandResult;
  readonly error?: AgentErrorBody;
}
