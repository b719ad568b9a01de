import { UnknownHostError } from '../hosts/host-errors.ts';
import type { AgentCommandSpec } from '../ports/agent-gateway.ts';
import type { Ports } from '../ports/ports.ts';

/** The operation (and snapshot) whose progress a command's heartbeats measure. */
export interface ProgressTarget {
  readonly operationId: string;
  readonly snapshotId?: string | null;
}

/** A workflow task's command for the agent holding a slice, and the token the task waits on. */
export interface DispatchAgentCommandInput {
  readonly taskToken: string;
  readonly accountId?: string;
  readonly sliceId: string;
  readonly hostId: string;
  readonly command: AgentCommandSpec;
  /** Where the command's progress is shown; without it, heartbeats only keep the task alive. */
  readonly reportsOn?: ProgressTarget | null;
}

/** How long a command's context is kept: longer than any agent step may wait (6 hours). */
export const COMMAND_CONTEXT_TTL_SECONDS = 86_400;

/**
 * Sends a waiting workflow task's command to the agent of the slice's host, with the task token as
 * its callback: the agent reports heartbeats and the outcome there, which resumes the task. With
 * `reportsOn`, what the command works for is recorded first (callbacks may arrive before the agent
 * even answers), so that its heartbeats' progress reaches the operation and the snapshot.
 * UnknownHostError when the registry no longer lists the host; agent errors as AgentGateway says.
 */
export async function dispatchAgentCommand(
  deps: Pick<Ports, 'hosts' | 'agents' | 'commandContexts' | 'clock'>,
  input: DispatchAgentCommandInput,
): Promise<{ readonly commandId: string }> {
  const host = await deps.hosts.get(input.hostId);
  if (!host) throw new UnknownHostError(input.hostId);
  if (input.reportsOn && input.accountId) {
    const expiresAt = new Date(deps.clock.now().getTime() + COMMAND_CONTEXT_TTL_SECONDS * 1000);
    await deps.commandContexts.save(
      input.taskToken,
      {
        accountId: input.accountId,
        hostId: host.id,
        operationId: input.reportsOn.operationId,
        snapshotId: input.reportsOn.snapshotId ?? null,
      },
      expiresAt,
    );
  }
  const url = await deps.hosts.callbackUrl();
  return deps.agents.dispatch(host, {
    sliceId: input.sliceId,
    command: input.command,
    callback: { url, taskToken: input.taskToken },
  });
}
