import { createHash } from 'node:crypto';
import { AGENT_ERRORS, isAgentErrorName } from '../../agent/protocol/errors.ts';
import { signRequest } from '../../agent/protocol/signing.ts';
import { AgentRefusedError, AgentUnreachableError } from '../../core/agents/agent-errors.ts';
import type { Host } from '../../core/hosts/host.ts';
import { UnknownHostError } from '../../core/hosts/host-errors.ts';
import type { AgentCommandRequest, AgentGateway } from '../../core/ports/agent-gateway.ts';
import type { HostDirectory } from '../../core/ports/host-directory.ts';

/** How long the agent gets to accept a command (it answers at once and reports later). */
const DEFAULT_TIMEOUT_MS = 10_000;
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

  constructor(options: { hosts: HostDirectory; timeoutMs?: number }) {
    this.#hosts = options.hosts;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async dispatch(host: Host, request: AgentCommandRequest): Promise<{ commandId: string }> {
    const secret = await this.#hosts.signingSecret(host.id);
    if (secret === null) throw new UnknownHostError(host.id);
    const commandId = commandIdOf(request.callback.taskToken);
    const body = JSON.stringify({
      ...request.command,
      commandId,
      sliceId: request.sliceId,
      callback: request.callback,
    });
    const url = new URL(`${host.url.replace(/\/+$/, '')}${COMMANDS_PATH}`);
    const headers = signRequest(secret, {
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      hostId: host.id,
      body,
    });
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
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
    return { commandId };
  }
}
