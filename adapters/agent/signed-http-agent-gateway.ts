import { createHash } from 'node:crypto';
import { AGENT_ERRORS, isAgentErrorName } from '../../agent/protocol/errors.ts';
import { signRequest } from '../../agent/protocol/signing.ts';
import { AgentRefusedError, AgentUnreachableError } from '../../core/agents/agent-errors.ts';
import type { Host } from '../../core/hosts/host.ts';
import { UnknownHostError } from '../../core/hosts/host-errors.ts';
import type {
  AgentCommandRequest,
  AgentGateway,
  AgentRunRequest,
} from '../../core/ports/agent-gateway.ts';
import type { HostDirectory } from '../../core/ports/host-directory.ts';

/** How long the agent gets to accept a command (it answers at once and reports later). */
const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a command run without a callback may take to answer: the agent waits up to 25 s. */
const SHORT_WAIT_TIMEOUT_MS = 30_000;
/** How long `run` follows a command that answered 202: past a forced power-off (60 s + 30 s). */
const DEFAULT_RUN_TIMEOUT_MS = 120_000;
const DEFAULT_POLL_MS = 500;

/** What the agent answers about a command (the fields `run` reads). */
interface CommandAnswer {
  readonly state?: 'running' | 'succeeded' | 'failed';
  readonly result?: Readonly<Record<string, unknown>> | null;
  readonly error?: { readonly name?: unknown; readonly message?: string } | null;
}
const COMMANDS_PATH = '/v1/commands';

/**
 * The command ID of a workflow task's command: a hash of its task token. Every Step Functions
 * attempt has a token of its own, so a retried step is a new command, while a repeated invocation
 * of one attempt names the same command, which the agent never runs twice.
 */
export function commandIdOf(taskToken: string): string {
  return `task-${createHash('sha256').update(taskToken).digest('hex')}`;
}

function problemOf(text: string): { name?: unknown; detail?: unknown } {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * AgentGateway over the agent protocol (docs/agent-protocol.md): `POST /v1/commands`, signed with
 * the host's secret. No answer, a timeout or a 5xx is AgentUnreachableError; a refusal (4xx) is an
 * AgentRefusedError named after the agent's error name (`AgentError` when it gives none).
 */
export class SignedHttpAgentGateway implements AgentGateway {
  readonly #hosts: HostDirectory;
  readonly #timeoutMs: number;
  readonly #runTimeoutMs: number;
  readonly #pollMs: number;

  constructor(options: {
    hosts: HostDirectory;
    timeoutMs?: number;
    runTimeoutMs?: number;
    pollMs?: number;
  }) {
    this.#hosts = options.hosts;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#runTimeoutMs = options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  async dispatch(host: Host, request: AgentCommandRequest): Promise<{ commandId: string }> {
    const commandId = commandIdOf(request.callback.taskToken);
    await this.#send(host, 'POST', COMMANDS_PATH, {
      ...request.command,
      commandId,
      sliceId: request.sliceId,
      callback: request.callback,
    });
    return { commandId };
  }

  async run(
    host: Host,
    { sliceId, commandId, command }: AgentRunRequest,
  ): Promise<Readonly<Record<string, unknown>>> {
    let status = await this.#send(
      host,
      'POST',
      COMMANDS_PATH,
      { ...command, commandId, sliceId },
      SHORT_WAIT_TIMEOUT_MS,
    );
    const deadline = Date.now() + this.#runTimeoutMs;
    // Short commands answer with their outcome; the others are followed until they end.
    while (status.state === 'running') {
      if (Date.now() > deadline) {
        throw new AgentUnreachableError(
          host.id,
          `${command.type} ${commandId} did not end in time`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
      status = await this.#send(host, 'GET', `${COMMANDS_PATH}/${encodeURIComponent(commandId)}`);
    }
    if (status.state === 'failed') {
      const name = isAgentErrorName(status.error?.name)
        ? status.error.name
        : AGENT_ERRORS.AgentError;
      throw new AgentRefusedError(
        host.id,
        name,
        200,
        status.error?.message ?? 'the command failed',
      );
    }
    return status.result ?? {};
  }

  /** One signed request to the host's agent; its answer when it accepted the request. */
  async #send(
    host: Host,
    method: 'GET' | 'POST',
    path: string,
    payload?: Record<string, unknown>,
    timeoutMs = this.#timeoutMs,
  ): Promise<CommandAnswer> {
    const secret = await this.#hosts.signingSecret(host.id);
    if (secret === null) throw new UnknownHostError(host.id);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const url = new URL(`${host.url.replace(/\/+$/, '')}${path}`);
    const headers = signRequest(secret, {
      method,
      path: `${url.pathname}${url.search}`,
      hostId: host.id,
      body,
    });
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...headers,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
      throw new AgentUnreachableError(host.id, reason);
    }
    if (response.status >= 500 || response.status === 429) {
      throw new AgentUnreachableError(host.id, `it answered ${response.status}`);
    }
    if (response.status >= 400) {
      const problem = problemOf(text);
      const name = isAgentErrorName(problem.name) ? problem.name : AGENT_ERRORS.AgentError;
      const detail = typeof problem.detail === 'string' ? problem.detail : text.slice(0, 500);
      throw new AgentRefusedError(host.id, name, response.status, detail);
    }
    return problemOf(text) as CommandAnswer;
  }
}
