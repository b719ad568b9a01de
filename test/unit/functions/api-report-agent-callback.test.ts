import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { signRequest } from '../../../agent/protocol/signing.ts';
import { ENV } from '../../../blueprint/facts.ts';
import { loadedHandler } from './loaded-handler.ts';

const REGISTRY_ID = 'host-registry';
const TABLE = 'slice-snapshots-table';
const SECRET = 'fra1-a-signing-secret-0123456789abcdef';
const PATH = '/agent/v1/callbacks';
const TOKEN = 'AAAA-task-token-1';

/** An HTTP API v2 event of a callback, signed as the agent signs it unless told otherwise. */
function callbackEvent(
  callback: unknown,
  options: { secret?: string; hostId?: string; now?: number; tamper?: string } = {},
) {
  const body = typeof callback === 'string' ? callback : JSON.stringify(callback);
  const headers = signRequest(
    options.secret ?? SECRET,
    { method: 'POST', path: PATH, hostId: options.hostId ?? 'fra1-a', body },
    options.now === undefined ? {} : { now: options.now },
  );
  const event = {
    version: '2.0',
    routeKey: `POST ${PATH}`,
    rawPath: PATH,
    rawQueryString: '',
    headers: { ...headers, 'content-type': 'application/json' },
    requestContext: {
      http: {
        method: 'POST',
        path: PATH,
        protocol: 'HTTP/1.1',
        sourceIp: '10.0.0.7',
        userAgent: '',
      },
      requestId: 'r-1',
      routeKey: `POST ${PATH}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
    },
    body: options.tamper ?? body,
    isBase64Encoded: false,
  };
  return { ...event, nonce: headers['x-agent-nonce'] };
}

describe('api-report-agent-callback', () => {
  const secrets = mockClient(SecretsManagerClient);
  const documents = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);

  const handler = loadedHandler<unknown, APIGatewayProxyStructuredResultV2>(
    'functions/api-report-agent-callback.ts',
    () => {
      process.env[ENV.hostRegistrySecret] = REGISTRY_ID;
      process.env[ENV.tableName] = TABLE;
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
      process.env.AWS_REGION = 'eu-central-1';
    },
  );

  beforeEach(() => {
    secrets.reset();
    documents.reset();
    sfn.reset();
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        callbackUrl: `https://api.example.test${PATH}`,
        hosts: [{ id: 'fra1-a', region: 'fra1', url: 'https://fra1-a.test', secret: SECRET }],
      }),
    });
    documents.on(PutCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    sfn.on(SendTaskHeartbeatCommand).resolves({});
  });

  const call = (event: unknown) => handler(event);
  const success = {
    taskToken: TOKEN,
    commandId: 'task-1',
    kind: 'success',
    result: { power: 'on' },
  };

  it('resumes the waiting task with the command result', async () => {
    const response = await call(callbackEvent(success));

    expect(response.statusCode).toBe(204);
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: TOKEN, output: JSON.stringify({ power: 'on' }) },
    ]);
  });

  it("fails the waiting task under the agent's error name, with its message as cause", async () => {
    const failure = {
      taskToken: TOKEN,
      commandId: 'task-1',
      kind: 'failure',
      error: { name: 'DiskExists', message: 'slice slc_1 already has a disk' },
    };

    const response = await call(callbackEvent(failure));

    expect(response.statusCode).toBe(204);
    expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: TOKEN, error: 'DiskExists', cause: 'slice slc_1 already has a disk' },
    ]);
  });

  it('passes a heartbeat on', async () => {
    const heartbeat = {
      taskToken: TOKEN,
      commandId: 'task-1',
      kind: 'heartbeat',
      progress: { bytesDone: 10, bytesTotal: 100 },
    };

    await call(callbackEvent(heartbeat));

    expect(sfn.commandCalls(SendTaskHeartbeatCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: TOKEN },
    ]);
  });

  it('claims the nonce with a conditional put that expires', async () => {
    const event = callbackEvent(success);

    await call(event);

    const [put] = documents.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(put).toMatchObject({
      TableName: TABLE,
      Item: {
        pk: `AGENT-NONCE#fra1-a#${event.nonce}`,
        sk: 'NONCE',
        expiration: expect.any(Number),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it.each([
    ['signed with another secret', () => callbackEvent(success, { secret: `${SECRET}-forged` })],
    ['from a host the registry lacks', () => callbackEvent(success, { hostId: 'fra1-gone' })],
    ['older than five minutes', () => callbackEvent(success, { now: Date.now() - 6 * 60_000 })],
    [
      'with a body changed after signing',
      () => callbackEvent(success, { tamper: JSON.stringify({ ...success, kind: 'failure' }) }),
    ],
  ])('refuses a callback %s with 401 problem+json, resuming nothing', async (_, event) => {
    const response = await call(event());

    expect(response.statusCode).toBe(401);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(sfn.calls()).toHaveLength(0);
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a replayed callback (its nonce already claimed) with 401', async () => {
    documents
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    const response = await call(callbackEvent(success));

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? '{}').detail).toContain('replayed');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 410 when Step Functions no longer knows the task', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'gone', $metadata: {} }));

    const response = await call(callbackEvent(success));

    expect(response.statusCode).toBe(410);
  });

  it('answers 400 for a signed body that is not a callback', async () => {
    const response = await call(callbackEvent({ taskToken: TOKEN, kind: 'done' }));

    expect(response.statusCode).toBe(400);
    expect(sfn.calls()).toHaveLength(0);
  });
});
