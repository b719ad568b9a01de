import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyRequest } from '../../../agent/protocol/signing.ts';
import { ENV } from '../../../blueprint/facts.ts';
import { lambdaContext } from './lambda-context.ts';

const REGISTRY_ID = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:host-registry';
const SECRET = 'fra1-a-signing-secret-0123456789abcdef';
const CALLBACK_URL = 'https://api.example.test/agent/v1/callbacks';

interface Received {
  path: string;
  body: Record<string, unknown>;
  verified: ReturnType<typeof verifyRequest>;
}

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

describe('dispatch-agent-command', () => {
  const secrets = mockClient(SecretsManagerClient);
  const received: Received[] = [];
  let answer: { status: number; body: unknown } = { status: 202, body: {} };
  let agent: Server;
  let agentUrl: string;
  let deadUrl: string;
  let handler: Handler;

  beforeAll(async () => {
    agent = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      received.push({
        path: request.url ?? '',
        body: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
        verified: verifyRequest(SECRET, {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body,
        }),
      });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
    agentUrl = `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise((resolve) => dead.close(resolve));

    process.env[ENV.hostRegistrySecret] = REGISTRY_ID;
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.AWS_REGION = 'eu-central-1';
    ({ handler } = (await import('../../../functions/dispatch-agent-command.ts')) as {
      handler: Handler;
    });
  });
  afterAll(() => new Promise((resolve) => agent.close(resolve)));

  beforeEach(() => {
    received.length = 0;
    answer = { status: 202, body: { commandId: 'ignored', state: 'running' } };
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        callbackUrl: CALLBACK_URL,
        hosts: [
          { id: 'fra1-a', region: 'fra1', url: agentUrl, secret: SECRET },
          { id: 'fra1-down', region: 'fra1', url: deadUrl, secret: SECRET },
        ],
      }),
    });
  });

  const dispatch = (overrides: Record<string, unknown> = {}) =>
    handler(
      {
        taskToken: 'AAAA-task-token-1',
        accountId: 'acct-1',
        sliceId: 'slc_01JNZ5Y1Q0000000000000000A',
        hostId: 'fra1-a',
        command: { type: 'create-disk', sizeBytes: 1_073_741_824 },
        ...overrides,
      },
      lambdaContext('dispatch-agent-command'),
    );

  it("signs the command with the host's secret and sends it with the task token as callback", async () => {
    const result = await dispatch();

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.path).toBe('/v1/commands');
    expect(request?.verified).toMatchObject({ ok: true, hostId: 'fra1-a' });
    expect(request?.body).toEqual({
      type: 'create-disk',
      sizeBytes: 1_073_741_824,
      commandId: expect.stringMatching(/^task-[0-9a-f]{64}$/),
      sliceId: 'slc_01JNZ5Y1Q0000000000000000A',
      callback: { url: CALLBACK_URL, taskToken: 'AAAA-task-token-1' },
    });
    expect(result).toEqual({ commandId: request?.body.commandId });
  });

  it('reads the host registry from the secret the deployment names', async () => {
    await dispatch({ hostId: 'fra1-a' });

    const reads = secrets.commandCalls(GetSecretValueCommand);
    for (const read of reads) expect(read.args[0].input).toEqual({ SecretId: REGISTRY_ID });
  });

  it('names the command after the task token: the same token, the same command', async () => {
    await dispatch();
    await dispatch();
    await dispatch({ taskToken: 'BBBB-task-token-2' });

    const ids = received.map((request) => request.body.commandId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("throws the agent's error name when the agent refuses the command", async () => {
    answer = {
      status: 409,
      body: { title: 'Conflict', status: 409, detail: 'busy', name: 'SliceBusy' },
    };

    await expect(dispatch()).rejects.toMatchObject({ name: 'SliceBusy', code: 'SLICE_BUSY' });
  });

  it('throws AgentUnreachable when the agent fails on its side', async () => {
    answer = { status: 503, body: {} };

    await expect(dispatch()).rejects.toMatchObject({
      name: 'AgentUnreachable',
      code: 'AGENT_UNREACHABLE',
    });
  });

  it('throws AgentUnreachable when nothing listens at the agent URL', async () => {
    await expect(dispatch({ hostId: 'fra1-down' })).rejects.toMatchObject({
      name: 'AgentUnreachable',
    });
  });

  it('throws UnknownHostError for a host the registry does not list', async () => {
    await expect(dispatch({ hostId: 'fra1-gone' })).rejects.toMatchObject({
      name: 'UnknownHostError',
    });
    expect(received).toEqual([]);
  });

  it('refuses a command type the agent protocol does not have, sending nothing', async () => {
    await expect(dispatch({ command: { type: 'format-disk' } })).rejects.toThrow(/command/);
    expect(received).toEqual([]);
  });
});
