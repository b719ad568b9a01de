import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CommandRunner } from '../commands/command-runner.ts';
import type { Logger } from '../log.ts';
import { type CommandStatus, SHORT_COMMAND_TYPES } from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
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

/** RFC 9457 problem details; `name` is the protocol error name where there is one. */
function problem(
  response: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  send(
    response,
    status,
    { type: 'about:blank', title, status, detail, ...extra },
    'application/problem+json',
  );
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
      problem(response, 404, 'Not Found', `no route ${method} ${path}`);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        problem(
          response,
          413,
          'Payload Too Large',
          `bodies are limited to ${MAX_BODY_BYTES} bytes`,
        );
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
      problem(response, 401, 'Unauthorized', `request signature refused: ${reason}`, { reason });
      return;
    }
    const pathId = match[1];
    if (method === 'GET') {
      const status = pathId ? deps.runner.status(pathId) : undefined;
      if (!status) problem(response, 404, 'Not Found', `no command ${pathId ?? ''}`);
      else answer(response, status);
      return;
    }
    if (method !== 'POST') {
      problem(response, 405, 'Method Not Allowed', `${method} is not allowed on ${path}`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      problem(response, 400, 'Bad Request', 'the body is not JSON', {
        name: AGENT_ERRORS.InvalidCommand,
      });
      return;
    }
    if (pathId && typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const given = (json as { commandId?: unknown }).commandId;
      if (given !== undefined && given !== pathId) {
        problem(response, 400, 'Bad Request', 'commandId differs from the path', {
          name: AGENT_ERRORS.InvalidCommand,
          errors: [{ path: 'commandId', message: 'must equal the ID in the path' }],
        });
        return;
      }
      json = { ...json, commandId: pathId };
    }
    const parsed = parseCommand(json);
    if (!parsed.ok) {
      problem(response, 400, 'Bad Request', 'the command is invalid', {
        name: AGENT_ERRORS.InvalidCommand,
        errors: parsed.errors,
      });
      return;
    }
    const command = parsed.command;
    const outcome = await deps.runner.submit(command);
    if (!outcome.accepted) {
      problem(response, 409, 'Conflict', outcome.message, { name: outcome.name });
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
        problem(response, 500, 'Internal Server Error', 'the agent failed to handle the request', {
          name: AGENT_ERRORS.AgentError,
        });
      } else response.destroy();
    });
  });
}
