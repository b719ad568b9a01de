import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentCommand, AgentCommandType } from '../../../agent/protocol/commands.ts';
import type { AgentErrorName } from '../../../agent/protocol/errors.ts';
import { forwardTo, post, readSigned, signedCallback } from './held-host.ts';

/** A failure the front reports instead of the agent, for the next command of one type. */
export interface InjectedFailure {
  readonly name: AgentErrorName;
  readonly message: string;
}

/**
 * A host's agent seen through a front that can make it report a failure. Every signed command is
 * recorded and passed to the real agent unchanged, so its signature still holds (same path, headers
 * and body). The exception is the next command of a type armed with `failNext`, which is accepted
 * and then failed through a signed callback, exactly as the agent reports its own failures. When
 * the agent behind does not answer, the front answers 502, as a dead host's load balancer would.
 */
export interface FaultFront {
  readonly url: string;
  readonly commands: AgentCommand[];
  failNext(type: AgentCommandType, failure: InjectedFailure): void;
  /**
   * The next command of `type` given with a callback is accepted (202) and never passed on nor
   * reported: a command lost with its host, whose task waits until something stops it. Resolves
   * the command once it arrives.
   */
  holdNext(type: AgentCommandType): Promise<AgentCommand>;
  /**
   * The next command of `type` given with a callback is accepted (202) and kept until `release()`
   * passes it on to the agent unchanged, which then runs it as if it had just arrived (within the
   * signature's five-minute window). Resolves once the command has arrived.
   */
  delayNext(type: AgentCommandType): Promise<DelayedCommand>;
  close(): Promise<void>;
}

/** A command the front keeps back until the test lets it through. */
export interface DelayedCommand {
  readonly command: AgentCommand;
  /** Passes the command on to the agent; resolves once the agent has accepted it. */
  release(): Promise<void>;
}

/** A request as the front received it, to pass on to the agent now or later. */
interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export async function startFaultFront(agent: {
  readonly hostId: string;
  readonly secret: string;
  /** The real agent's URL; read again for each command, so a restarted agent is found. */
  url(): string;
}): Promise<FaultFront> {
  const commands: AgentCommand[] = [];
  const armed = new Map<AgentCommandType, InjectedFailure>();
  const held = new Map<AgentCommandType, (command: AgentCommand) => void>();
  const delayed = new Map<AgentCommandType, (delayedCommand: DelayedCommand) => void>();
  /** Sends a request on to the real agent; answers its status and body. */
  const forward = (received: ReceivedRequest) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const target = new URL(agent.url());
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: received.method,
          path: received.path,
          headers: received.headers,
        },
        async (response) => {
          const parts: Buffer[] = [];
          for await (const part of response) parts.push(part as Buffer);
          resolve({ status: response.statusCode ?? 502, body: Buffer.concat(parts) });
        },
      );
      forwarded.on('error', reject);
      forwarded.end(received.body);
    });
  const server: Server = createServer(async (incoming, outgoing) => {
    const { body, verified } = await readSigned(incoming, agent.secret);
    const command =
      verified.ok && incoming.method === 'POST'
        ? (JSON.parse(body.toString('utf8')) as AgentCommand)
        : undefined;
    if (command) commands.push(command);
    const hold = command?.callback ? held.get(command.type) : undefined;
    if (command && hold) {
      held.delete(command.type);
      outgoing.writeHead(202, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ commandId: command.commandId, state: 'running' }));
      hold(command);
      return;
    }
    const delay = command?.callback ? delayed.get(command.type) : undefined;
    if (command && delay) {
      delayed.delete(command.type);
      outgoing.writeHead(202, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ commandId: command.commandId, state: 'running' }));
      const received = {
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        body,
      };
      delay({
        command,
        release: async () => {
          const answer = await forward(received);
          if (answer.status >= 300) {
            throw new Error(`the agent refused the released command: ${answer.status}`);
          }
        },
      });
      return;
    }
    const failure = command && armed.get(command.type);
    if (command && failure && command.callback) {
      armed.delete(command.type);
      outgoing.writeHead(202, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ commandId: command.commandId, state: 'running' }));
      await post(
        signedCallback(command.callback.url, agent.hostId, agent.secret, {
          taskToken: command.callback.taskToken,
          commandId: command.commandId,
          kind: 'failure',
          error: failure,
        }),
      );
      return;
    }
    const forwarded = forwardTo(new URL(agent.url()), incoming, outgoing);
    forwarded.on('error', () => {
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      outgoing.writeHead(502, { 'content-type': 'application/problem+json' });
      outgoing.end(JSON.stringify({ title: 'Bad Gateway', status: 502 }));
    });
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    commands,
    failNext: (type, failure) => armed.set(type, failure),
    holdNext: (type) => new Promise((resolve) => held.set(type, resolve)),
    delayNext: (type) => new Promise((resolve) => delayed.set(type, resolve)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
