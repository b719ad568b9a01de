import type { AgentErrorName } from '../../core/agents/agent-error-codes.ts';
import { AgentRefusedError } from '../../core/agents/agent-errors.ts';
import type { Host } from '../../core/hosts/host.ts';
import type {
  AgentCommandRequest,
  AgentCommandSpec,
  AgentGateway,
  AgentRunRequest,
} from '../../core/ports/agent-gateway.ts';

/** A command as the memory gateway recorded it. */
export interface DispatchedCommand {
  readonly host: Host;
  readonly request: AgentCommandRequest;
  readonly commandId: string;
}

/** A command run at once (`run`) as the memory gateway recorded it. */
export interface RunCommand {
  readonly hostId: string;
  readonly sliceId: string;
  readonly commandId: string;
  readonly command: AgentCommandSpec;
}

/** What a run command answers: a result, or an error (thrown). */
export type RunAnswer = Readonly<Record<string, unknown>> | Error;

/**
 * Records dispatched commands instead of sending them; `failWith` makes the next dispatch throw.
 * Run commands are recorded too and answer what `answer` set for their type (an Error is thrown;
 * a name alone refuses as the agent would), by default a plain success.
 */
export class MemoryAgentGateway implements AgentGateway {
  readonly dispatched: DispatchedCommand[] = [];
  readonly ran: RunCommand[] = [];
  readonly #answers = new Map<string, RunAnswer[]>();
  #failure: Error | undefined;

  /** The answers the next runs of `type` give, in order; the last one stays. */
  answer(type: string, ...answers: RunAnswer[]): void {
    this.#answers.set(type, answers);
  }

  /** Shorthand: runs of `type` are refused with the agent's error `name`. */
  refuse(type: string, name: AgentErrorName): void {
    this.answer(type, new AgentRefusedError('memory-host', name, 409, `${type} refused`));
  }

  async run(
    host: Host,
    { sliceId, commandId, command }: AgentRunRequest,
  ): Promise<Readonly<Record<string, unknown>>> {
    this.ran.push(structuredClone({ hostId: host.id, sliceId, commandId, command }));
    const queue = this.#answers.get(command.type) ?? [];
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    if (answer instanceof Error) throw answer;
    return answer ?? { sliceId };
  }

  /** The types of the commands run on `sliceId`, in order. */
  typesRunOn(sliceId: string): string[] {
    return this.ran.filter((each) => each.sliceId === sliceId).map((each) => each.command.type);
  }

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
