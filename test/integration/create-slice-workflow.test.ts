import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoHostLoad } from '../../adapters/aws/dynamo-host-load.ts';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { DynamoSliceRepository } from '../../adapters/aws/dynamo-slice-repository.ts';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { UlidIdGenerator } from '../../adapters/node/ulid-id-generator.ts';
import { diskPathOf } from '../../agent/disk/file-driver.ts';
import { newOperation } from '../../core/operations/operation.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import { newSlice } from '../../core/slices/slice.ts';
import { type LocalAgent, startLocalAgent } from '../../local/agents.ts';
import { readEventLog } from '../../local/eventbridge/index.ts';
import { executionArnOf } from '../../local/stepfunctions/arns.ts';
import { localDocumentClient } from '../contract/dynamo-document-client.ts';
import { signedRequest } from './agent/support/agent-client.ts';
import { type HeldHost, post, signedCallback, startHeldHost } from './support/held-host.ts';
import { aHostSecret, startWorkflowCloud, type WorkflowCloud } from './support/workflow-cloud.ts';

const RUN = randomUUID().slice(0, 8);
const ACCOUNT = `acct-create-${RUN}`;
// Host ids of their own, so that the counters of other test files sharing the table never mix in.
const AGENT_HOST = `fra1-it-${RUN}`;
const HELD_HOST = `hold1-it-${RUN}`;
const REGIONS = [
  { id: 'fra1', name: 'Frankfurt 1' },
  { id: 'nyc1', name: 'New York 1' },
  { id: 'hold1', name: 'Held 1' },
];

interface SliceBody {
  id: string;
  status: string;
  power: string;
}
interface OperationBody {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
}
interface Accepted {
  slice: SliceBody;
  operation: OperationBody;
}

describe('the create-slice workflow, through the real agent', () => {
  const client = localDocumentClient(inject('dynamoEndpoint'));
  const load = new DynamoHostLoad({ client, tableName: inject('tableName') });
  let cloud: WorkflowCloud;
  let agent: LocalAgent;
  let held: HeldHost;
  let sfn: SFNClient;
  let token: string;

  const startAgent = (port?: number, secret?: string) =>
    startLocalAgent({
      hostId: AGENT_HOST,
      region: 'fra1',
      agentsDir: join(cloud.workDir, 'agents'),
      s3Endpoint: inject('s3Endpoint'),
      bucket: inject('imagesBucket'),
      ...(port === undefined ? {} : { port }),
      ...(secret === undefined ? {} : { secret }),
    });

  beforeAll(async () => {
    cloud = await startWorkflowCloud({
      dynamoEndpoint: inject('dynamoEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
      tableName: inject('tableName'),
      regions: REGIONS,
    });
    [agent, held] = await Promise.all([startAgent(), startHeldHost(HELD_HOST, aHostSecret())]);
    cloud.registerHosts([
      agent.host,
      { id: held.id, region: 'hold1', url: held.url, secret: held.secret },
    ]);
    sfn = new SFNClient({
      endpoint: cloud.stepFunctions,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    token = await cloud.token(ACCOUNT);
  });

  afterAll(async () => {
    sfn?.destroy();
    await agent?.stop();
    await held?.close();
    await cloud?.close();
    client.destroy();
  });

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${cloud.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  const createSlice = (region: string, diskGB = 1) =>
    api<Accepted>('POST', '/v1/slices', { name: `it-${region}`, region, diskGB });

  const executionArn = (operationId: string) =>
    executionArnOf('us-east-1', '000000000000', 'create-slice', operationId);

  async function statusOf(operationId: string): Promise<string | undefined> {
    const described = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArn(operationId) }),
    );
    return described.status;
  }

  async function finished(operationId: string): Promise<DescribeExecutionCommandOutput> {
    for (;;) {
      const described = await sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArn(operationId) }),
      );
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function history(operationId: string): Promise<HistoryEvent[]> {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executionArn(operationId), maxResults: 1000 }),
    );
    return events;
  }

  const statesEntered = async (operationId: string) =>
    (await history(operationId)).flatMap((event) =>
      event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name
        ? [event.stateEnteredEventDetails.name]
        : [],
    );

  const statesExited = async (operationId: string) =>
    (await history(operationId)).flatMap((event) =>
      event.type?.endsWith('StateExited') && event.stateExitedEventDetails?.name
        ? [event.stateExitedEventDetails.name]
        : [],
    );

  /** The detail-types emitted for a slice, once the expected number has arrived. */
  async function eventsOf(sliceId: string, expected: number): Promise<string[]> {
    const read = () =>
      readEventLog(cloud.eventsDir)
        .filter((entry) => entry.event.detail.sliceId === sliceId)
        .map((entry) => entry.event['detail-type']);
    const deadline = Date.now() + 5_000;
    while (read().length < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Every event written until now on the bus: a duplicate would be there too.
    await cloud.eventsSettled();
    return read();
  }

  /** A building slice and its operation, written as createSlice writes them, without a workflow. */
  async function seedBuildingSlice() {
    const ids = new UlidIdGenerator();
    const access = {
      client,
      tableName: inject('tableName'),
      cursorSigner: new HmacSigner(randomBytes(32)),
    };
    const now = new Date().toISOString();
    const slice = newSlice({
      id: ids.next('slice'),
      accountId: ACCOUNT,
      name: 'it-seeded',
      region: 'fra1',
      diskBytes: BYTES_PER_GIB,
      now,
    });
    const operation = newOperation({
      id: ids.next('operation'),
      accountId: ACCOUNT,
      type: 'slice.create',
      resourceId: slice.id,
      now,
    });
    await new DynamoSliceRepository(access).create(slice);
    await new DynamoOperationRepository(access).create(operation);
    return { slice, operation };
  }

  const startBuild = (sliceId: string, operationId: string, snapshotId: string | null) =>
    sfn.send(
      new StartExecutionCommand({
        stateMachineArn: cloud.stateMachineArn('create-slice'),
        name: operationId,
        input: JSON.stringify({ accountId: ACCOUNT, sliceId, operationId, snapshotId }),
      }),
    );

  const loadOf = async (hostId: string) => (await load.slicesOn([hostId])).get(hostId);

  it('builds a blank slice: placed, its disk created on the agent, powered on', async () => {
    const before = await loadOf(AGENT_HOST);

    const { slice, operation } = await createSlice('fra1', 1);
    const execution = await finished(operation.id);

    expect(execution.status).toBe('SUCCEEDED');
    expect(await api<SliceBody>('GET', `/v1/slices/${slice.id}`)).toMatchObject({
      status: 'active',
      power: 'on',
    });
    expect(await api<OperationBody>('GET', `/v1/operations/${operation.id}`)).toMatchObject({
      status: 'succeeded',
      error: null,
    });
    expect(statSync(diskPathOf(agent.dataDir, slice.id)).size).toBe(BYTES_PER_GIB);
    expect(await eventsOf(slice.id, 1)).toEqual(['Slice Created']);
    expect(await loadOf(AGENT_HOST)).toBe((before ?? 0) + 1);
  });

  it('fails the build when the agent is down, and gives its place on the host back', async () => {
    const before = await loadOf(AGENT_HOST);
    const { port } = new URL(agent.host.url);
    await agent.stop();
    try {
      const { slice, operation } = await createSlice('fra1');
      const execution = await finished(operation.id);

      expect(execution.status).toBe('FAILED');
      const failure = {
        code: 'AGENT_UNREACHABLE',
        message: "the slice's host could not be reached",
      };
      expect(await api<SliceBody>('GET', `/v1/slices/${slice.id}`)).toMatchObject({
        status: 'error',
        power: 'off',
      });
      expect(await api<OperationBody>('GET', `/v1/operations/${operation.id}`)).toMatchObject({
        status: 'failed',
        error: failure,
      });
      expect(await statesEntered(operation.id)).toEqual(
        expect.arrayContaining(['CreateDisk', 'ReleaseDisk', 'FailSliceCreation']),
      );
      expect(await eventsOf(slice.id, 1)).toEqual(['Slice Creation Failed']);
      expect(await loadOf(AGENT_HOST)).toBe(before);
    } finally {
      agent = await startAgent(Number(port), agent.host.secret);
    }
  });

  it('fails the build when the agent reports DiskExists, and releases that disk', async () => {
    const { slice, operation } = await seedBuildingSlice();
    const made = await signedRequest(agent.host.url, {
      hostId: AGENT_HOST,
      secret: agent.host.secret,
      body: {
        commandId: `pre-${slice.id}`,
        type: 'create-disk',
        sliceId: slice.id,
        sizeBytes: 4096,
      },
    });
    expect(made.body).toMatchObject({ state: 'succeeded' });
    const before = await loadOf(AGENT_HOST);

    await startBuild(slice.id, operation.id, null);
    const execution = await finished(operation.id);

    expect(execution.status).toBe('FAILED');
    const failed = (await history(operation.id)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails?.error).toBe('DiskExists');
    expect(await api<OperationBody>('GET', `/v1/operations/${operation.id}`)).toMatchObject({
      status: 'failed',
      error: { code: 'DISK_EXISTS' },
    });
    expect(await api<SliceBody>('GET', `/v1/slices/${slice.id}`)).toMatchObject({
      status: 'error',
    });
    expect(existsSync(diskPathOf(agent.dataDir, slice.id))).toBe(false);
    expect(await eventsOf(slice.id, 1)).toEqual(['Slice Creation Failed']);
    expect(await loadOf(AGENT_HOST)).toBe(before);
  });

  it('asks the agent to write a slice made from a snapshot from its image (missing here)', async () => {
    const { slice, operation } = await seedBuildingSlice();
    const snapshotId = new UlidIdGenerator().next('snapshot');

    await startBuild(slice.id, operation.id, snapshotId);
    const execution = await finished(operation.id);

    // No image was ever stored for it: the agent looks for it, and says so.
    expect(execution.status).toBe('FAILED');
    expect(await statesEntered(operation.id)).toEqual(
      expect.arrayContaining(['WriteImage', 'ReleaseDisk']),
    );
    expect(await statesEntered(operation.id)).not.toContain('CreateDisk');
    expect(await api<OperationBody>('GET', `/v1/operations/${operation.id}`)).toMatchObject({
      status: 'failed',
      error: { code: 'IMAGE_NOT_FOUND' },
    });
  });

  it('refuses a forged callback with 401 and leaves the task waiting for the real one', async () => {
    const before = await loadOf(HELD_HOST);
    const { slice, operation } = await createSlice('hold1');
    const deadline = Date.now() + 10_000;
    let command = held.commands.find((each) => each.sliceId === slice.id);
    while (!command && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      command = held.commands.find((each) => each.sliceId === slice.id);
    }
    if (!command?.callback) throw new Error('the held host never received the command');
    const { taskToken } = command.callback;
    const report = (kind: string, extra: Record<string, unknown> = {}, secret = held.secret) =>
      signedCallback(cloud.callbackUrl, held.id, secret, {
        taskToken,
        commandId: command.commandId,
        kind,
        ...extra,
      });
    const result = { sliceId: slice.id, diskBytes: BYTES_PER_GIB, power: 'off' };

    // Refused before it reached Step Functions: the genuine heartbeat after it finds the task open.
    const forged = await post(report('success', { result }, aHostSecret()));

    expect(forged).toEqual({ status: 401, type: 'application/problem+json' });
    expect(await statusOf(operation.id)).toBe('RUNNING');
    expect(await statesExited(operation.id)).toEqual(['PlaceSlice', 'ChooseDiskSource']);

    const heartbeat = report('heartbeat');
    expect((await post(heartbeat)).status).toBe(204);
    expect((await post(heartbeat)).status).toBe(401);

    const genuine = await post(
      report('failure', { error: { name: 'DiskExists', message: 'a disk is there' } }),
    );
    const execution = await finished(operation.id);

    expect(genuine.status).toBe(204);
    expect(execution.status).toBe('FAILED');
    expect(await api<OperationBody>('GET', `/v1/operations/${operation.id}`)).toMatchObject({
      status: 'failed',
      error: { code: 'DISK_EXISTS' },
    });
    expect(await loadOf(HELD_HOST)).toBe(before);
    expect((await post(report('success', { result }))).status).toBe(410);
  });

  it('fails the build at once when the region has no host', async () => {
    const { slice, operation } = await createSlice('nyc1');
    const execution = await finished(operation.id);

    expect(execution.status).toBe('FAILED');
    expect(await api<OperationBody>('GET', `/v1/operations/${operation.id}`)).toMatchObject({
      status: 'failed',
      error: { code: 'NO_HOST_AVAILABLE' },
    });
    expect(await statesEntered(operation.id)).not.toContain('ReleaseDisk');
    expect(await eventsOf(slice.id, 1)).toEqual(['Slice Creation Failed']);
  });
});
