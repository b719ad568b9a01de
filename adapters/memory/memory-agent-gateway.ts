import type { Host } from '../../core/hosts/host.ts';
import type { AgentCommandRequest, AgentGateway } from '../../core/ports/agent-gateway.ts';

/** A command as the memory gateway recorded it. */
export interface DispatchedCommand {
  readonly host: Host;
  readonly request: AgentCommandRequest;
  readonly commandId: string;
}

/** Records dispatched commands instead of sending them; `failWith` makes the next dispatch throw. */
export class MemoryAgentGateway implements AgentGateway {
  readonly dispatched: DispatchedCommand[] = [];
  #failure: Error | undefined;

  failWith(error: Error): void {
    this.#failure = error;
  }

  async dispatch(host: Host, request: AgentCommandRequest): Promise<{ commandId: string }> {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    const commandId = `cmd-${request.callback.taskToken}`;
    this.dispatched.push(structuredClone({ host, request, commandId }));
    return { commandId };
  }
}
