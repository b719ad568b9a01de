import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { type ErrorCode, statusOf } from '../../core/shared/error-codes.ts';
import type { CommandRunner } from '../commands/command-runner.ts';
import type { Logger } from '../log.ts';
import { type CommandStatus, SHORT_COMMAND_TYPES } from '../protocol/commands.ts';
import { AGENT_ERRORS, type AgentErrorName, agentErrorCode } from '../protocol/errors.ts';
import { parseCommand } from '../protocol/parse-command.ts';
import { type NonceCache, verifyRequest } from '../protocol/signing.ts';

export interface ServerDeps {
  readonly hostId: string;
  readonly secret: string;
  readonly runner: CommandRunner;
  readonly nonces: NonceCache;
  readonly log: Logger;
  /** What the unsigned health answer says of the host, e.g. its hypervisor and accelerator. */
  readonly health?: {
    readonly hypervisor: string;
    readonly accel?: string;
    readonly vmSlots?: number;
  };
  /** How long a short command without callback may take before the answer turns into a 202. */
  readonly shortWaitMs?: number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const COMMAND_PATH = /^\/v1\/commands(?:\/([A-Za-z0-9][A-Za-z0-9._:-]{0,127}))?$/;

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    parts.push(part);
  }
  return Buffer.concat(parts);
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** RFC 9457 problem details with the error's `code`; its status comes from the table of codes. */
function problem(
  response: ServerResponse,
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  const status = statusOf(code);
  send(
    response,
    status,
    { type: 'about:blank', title: STATUS_CODES[status], status, detail, code, ...extra },
    'application/problem+json',
  );
}

/** A problem for one of the protocol's error names: `name` as before, `code` beside it. */
function namedProblem(
  response: ServerResponse,
  name: AgentErrorName,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  problem(response, agentErrorCode(name), detail, { name, ...extra });
}

function answer(response: ServerResponse, status: CommandStatus): void {
  send(response, status.state === 'running' ? 202 : 200, status);
}

/**
 * The agent's HTTP API: `POST /v1/commands[/{id}]`, `GET /v1/commands/{id}` (both signed) and an
 * unsigned `GET /v1/health`. Anything unsigned, stale, replayed or signed for another host is 401.
 */
export function createAgentServer(deps: ServerDeps): Server {
  const shortWaitMs = deps.shortWaitMs ?? 25_000;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = request.url ?? '/';
    const path = target.split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    if (path === '/v1/health' && method === 'GET') {
      send(response, 200, { status: 'ok', hostId: deps.hostId, ...deps.health });
      return;
    }
    const match = COMMAND_PATH.exec(path);
    if (!match) {
      problem(response, 'ROUTE_NOT_FOUND', `no route ${method} ${path}`);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        problem(response, 'BODY_TOO_LARGE', `bodies are limited to ${MAX_BODY_BYTES} bytes`);
        return;
      }
      throw error;
    }
    const verified = verifyRequest(deps.secret, {
      method,
      path: target,
      headers: request.headers,
      body,
    });
    if (!verified.ok || verified.hostId !== deps.hostId || !deps.nonces.claim(verified.nonce)) {
      const reason = !verified.ok
        ? verified.reason
        : verified.hostId !== deps.hostId
          ? 'wrong-host'
          : 'replayed';
      deps.log.warn('request refused', { reason, method, path });
      problem(response, 'UNAUTHORIZED', `request signature refused: ${reason}`, { reason });
      return;
    }
    const pathId = match[1];
    if (method === 'GET') {
      const status = pathId ? deps.runner.status(pathId) : undefined;
      if (!status) problem(response, 'COMMAND_NOT_FOUND', `no command ${pathId ?? ''}`);
      else answer(response, status);
      return;
    }
    if (method !== 'POST') {
      problem(response, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      namedProblem(response, AGENT_ERRORS.InvalidCommand, 'the body is not JSON');
      return;
    }
    if (pathId && typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const given = (json as { commandId?: unknown }).commandId;
      if (given !== undefined && given !== pathId) {
        namedProblem(response, AGENT_ERRORS.InvalidCommand, 'commandId differs from the path', {
          errors: [{ path: 'commandId', message: 'must equal the ID in the path' }],
        });
        return;
      }
      json = { ...json, commandId: pathId };
    }
    const parsed = parseCommand(json);
    if (!parsed.ok) {
      namedProblem(response, AGENT_ERRORS.InvalidCommand, 'the command is invalid', {
        errors: parsed.errors,
      });
      return;
    }
    const command = parsed.command;
    const outcome = await deps.runner.submit(command);
    if (!outcome.accepted) {
      namedProblem(response, outcome.name, outcome.message);
      return;
    }
    const waits = !command.callback && SHORT_COMMAND_TYPES.includes(command.type);
    if (waits && outcome.status.state === 'running') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        deps.runner.waitFor(command.commandId),
        new Promise((resolve) => {
          timer = setTimeout(resolve, shortWaitMs);
        }),
      ]);
      clearTimeout(timer);
      answer(response, deps.runner.status(command.commandId) ?? outcome.status);
      return;
    }
    answer(response, outcome.status);
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      deps.log.error('request failed', {
        error: error instanceof Error ? error.stack : String(error),
      });
      if (!response.headersSent) {
        namedProblem(response, AGENT_ERRORS.AgentError, 'the agent failed to handle the request');
      } else response.destroy();
    });
  });
}
