import { execFile, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, inject } from 'vitest';
import { diskPathOf } from '../../../agent/disk/file-driver.ts';
import { parseManifest } from '../../../agent/protocol/manifest.ts';
import { chunkKeyOf } from '../../../blueprint/facts.ts';
import { type LocalAgent, startLocalAgent } from '../../../local/agents.ts';
import type { LocalClock } from '../../../local/clock.ts';
import { readEventLog } from '../../../local/eventbridge/index.ts';
import { localS3Config } from '../../../local/s3.ts';
import { executionArnOf } from '../../../local/stepfunctions/arns.ts';
import { readThrough } from '../../support/read-through.ts';
import { type StoreProxy, startStoreProxy } from '../agent/support/store-proxy.ts';
import { type FaultFront, startFaultFront } from './fault-front.ts';
import { startWorkflowCloud, type WorkflowCloud } from './workflow-cloud.ts';

/** Image chunks are 4 MiB (docs/agent-protocol.md). */
export const CHUNK_BYTES = 4 * 1024 * 1024;
export const MIB = 1024 * 1024;

export interface ApiAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

export interface SliceView {
  id: string;
  name: string;
  status: string;
  power: string;
  diskBytes: number;
  usedBytes: number;
}
export interface ProgressView {
  percent: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedSeconds: number;
  etaSeconds: number | null;
}
export interface SnapshotView {
  id: string;
  name: string;
  status: string;
  sliceId: string;
  sizeBytes: number;
  diskBytes: number;
  consistency: string | null;
  completedAt: string | null;
  durationSeconds: number | null;
  downtimeSeconds: number | null;
  monthlyCost: { amount: string; currency: string };
  progress: ProgressView;
  error: { code: string; message: string } | null;
}
export interface OperationView {
  id: string;
  type: string;
  status: string;
  resourceId: string;
  progress: ProgressView;
  error: { code: string; message: string } | null;
}
export interface SnapshotAccepted {
  snapshot: SnapshotView;
  operation: OperationView;
}

/** A region written into a slice's disk file, as `dd conv=notrunc` would. */
export interface DiskWrite {
  readonly offset: number;
  readonly bytes: number;
}

/** What `sliceWithSnapshot` writes before its snapshot: the first chunk, and a run across two. */
const SNAPSHOT_DATA: readonly DiskWrite[] = [
  { offset: 0, bytes: 2 * MIB },
  { offset: 300 * MIB + 777, bytes: 5 * MIB },
];
/** What `overwrite` writes: over the snapshot's first chunk, and where it has no data. */
const LATER_DATA: readonly DiskWrite[] = [
  { offset: MIB, bytes: 3 * MIB },
  { offset: 600 * MIB, bytes: 2 * MIB },
];

/**
 * The local pieces a snapshot runs through, on the shared emulators: the real handlers and ASL, one
 * real agent process (region `fra1`) behind a front that can make it report failures, its image
 * store behind a proxy that can refuse or stall. The agent gives up on the store after one attempt,
 * so failures show in seconds, not minutes.
 */
export class SnapshotBed {
  readonly cloud: WorkflowCloud;
  readonly front: FaultFront;
  readonly store: StoreProxy;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  readonly hostId: string;
  readonly bucket: string;
  readonly #agent: { current: LocalAgent };
  readonly #agentSettings: Record<string, string>;
  readonly #heartbeatMs: number;

  private constructor(parts: {
    cloud: WorkflowCloud;
    front: FaultFront;
    store: StoreProxy;
    agent: { current: LocalAgent };
    agentSettings: Record<string, string>;
    heartbeatMs: number;
    hostId: string;
    bucket: string;
    s3Endpoint: string;
  }) {
    this.cloud = parts.cloud;
    this.front = parts.front;
    this.store = parts.store;
    this.#agent = parts.agent;
    this.#agentSettings = parts.agentSettings;
    this.#heartbeatMs = parts.heartbeatMs;
    this.hostId = parts.hostId;
    this.bucket = parts.bucket;
    this.sfn = new SFNClient({
      endpoint: parts.cloud.stepFunctions,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.s3 = new S3Client(localS3Config(parts.s3Endpoint));
  }

  static async start(options: {
    dynamoEndpoint: string;
    s3Endpoint: string;
    tableName: string;
    imagesBucket: string;
    adjustDefinition?: (workflow: string, definition: string) => string;
    /** How often the agent heartbeats a running command. */
    heartbeatMs: number;
    agentSettings?: Record<string, string>;
  }): Promise<SnapshotBed> {
    const hostId = `fra1-snap-${randomUUID().slice(0, 8)}`;
    const cloud = await startWorkflowCloud({
      dynamoEndpoint: options.dynamoEndpoint,
      s3Endpoint: options.s3Endpoint,
      tableName: options.tableName,
      imagesBuckets: { fra1: options.imagesBucket },
      regions: [{ id: 'fra1', name: 'Frankfurt 1' }],
      ...(options.adjustDefinition ? { adjustDefinition: options.adjustDefinition } : {}),
    });
    const store = await startStoreProxy(options.s3Endpoint);
    const agentSettings = options.agentSettings ?? {};
    const agent = {
      current: await SnapshotBed.#startAgent(cloud, hostId, store.endpoint, {
        imagesBucket: options.imagesBucket,
        heartbeatMs: options.heartbeatMs,
        agentSettings,
      }),
    };
    const front = await startFaultFront({
      hostId,
      secret: agent.current.host.secret,
      url: () => agent.current.host.url,
    });
    cloud.registerHosts([{ ...agent.current.host, url: front.url }]);
    return new SnapshotBed({
      cloud,
      front,
      store,
      agent,
      agentSettings,
      heartbeatMs: options.heartbeatMs,
      hostId,
      bucket: options.imagesBucket,
      s3Endpoint: options.s3Endpoint,
    });
  }

  /** A bed on the emulators the integration run's global setup started. */
  static onSharedEmulators(options: {
    heartbeatMs: number;
    agentSettings?: Record<string, string>;
    adjustDefinition?: (workflow: string, definition: string) => string;
  }): Promise<SnapshotBed> {
    return SnapshotBed.start({
      dynamoEndpoint: inject('dynamoEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
      tableName: inject('tableName'),
      imagesBucket: inject('imagesBucket'),
      ...options,
    });
  }

  /**
   * A bed on the shared emulators for the enclosing describe: started before its first test and
   * closed after its last. Until then the handle answers every use with an error.
   */
  static forSuite(options: Parameters<typeof SnapshotBed.onSharedEmulators>[0]): SnapshotBed {
    let bed: SnapshotBed | undefined;
    beforeAll(async () => {
      bed = await SnapshotBed.onSharedEmulators(options);
    });
    afterAll(async () => {
      await bed?.close();
    });
    return readThrough(() => bed, 'the snapshot bed is not started yet');
  }

  /** The cloud's clock, which the handlers and the workflows' timeouts read. */
  get clock(): LocalClock {
    return this.cloud.clock;
  }

  /** The host's agent process (a new one after a restart). */
  get agent(): LocalAgent {
    return this.#agent.current;
  }

  static #startAgent(
    cloud: WorkflowCloud,
    hostId: string,
    storeEndpoint: string,
    options: { imagesBucket: string; heartbeatMs: number; agentSettings: Record<string, string> },
    reuse?: { port: number; secret: string },
  ): Promise<LocalAgent> {
    return startLocalAgent({
      hostId,
      region: 'fra1',
      agentsDir: join(cloud.workDir, 'agents'),
      s3Endpoint: storeEndpoint,
      bucket: options.imagesBucket,
      heartbeatMs: options.heartbeatMs,
      settings: {
        AGENT_S3_MAX_ATTEMPTS: '1',
        AGENT_S3_TIMEOUT_MS: '10000',
        ...options.agentSettings,
      },
      ...(reuse ? { port: reuse.port, secret: reuse.secret } : {}),
    });
  }

  /** Starts the agent again on its port and secret (after a stop or a crash). */
  async restartAgent(): Promise<void> {
    const port = Number(new URL(this.agent.host.url).port);
    this.#agent.current = await SnapshotBed.#startAgent(
      this.cloud,
      this.hostId,
      this.store.endpoint,
      {
        imagesBucket: this.bucket,
        heartbeatMs: this.#heartbeatMs,
        agentSettings: this.#agentSettings,
      },
      { port, secret: this.agent.host.secret },
    );
  }

  async close(): Promise<void> {
    this.sfn.destroy();
    this.s3.destroy();
    await this.agent.stop();
    await this.front.close();
    await this.store.close();
    await this.cloud.close();
  }

  /** A fresh account and a token for it: tests never see each other's records or chunks. */
  async account(): Promise<{ accountId: string; token: string }> {
    const accountId = `acct-snap-${randomUUID().slice(0, 12)}`;
    return { accountId, token: await this.cloud.token(accountId) };
  }

  async api<T = Record<string, unknown>>(
    token: string,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.cloud.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** A slice built for real (create-slice workflow, the agent's create-disk), active and on. */
  async activeSlice(token: string, name = 'web', pollMs = 50, diskGB = 1): Promise<SliceView> {
    const created = await this.api<{ slice: SliceView; operation: OperationView }>(
      token,
      'POST',
      '/v1/slices',
      { body: { name, region: 'fra1', diskGB } },
    );
    if (created.status !== 202) throw new Error(`create slice: ${JSON.stringify(created.body)}`);
    const execution = await this.finished('create-slice', created.body.operation.id, { pollMs });
    if (execution.status !== 'SUCCEEDED') throw new Error(`slice build ${execution.status}`);
    return (await this.api<SliceView>(token, 'GET', `/v1/slices/${created.body.slice.id}`)).body;
  }

  /** A running slice with `chunks` chunks of random data, in a fresh account. */
  async sliceWithData(chunks = 3): Promise<{ accountId: string; token: string; slice: SliceView }> {
    const { accountId, token } = await this.account();
    const slice = await this.activeSlice(token);
    this.writeData(slice.id, [{ offset: 0, bytes: chunks * 4 * MIB }], slice.diskBytes);
    return { accountId, token, slice };
  }

  /** The slice as the API shows it to its account. */
  async slice(token: string, sliceId: string): Promise<SliceView> {
    return (await this.api<SliceView>(token, 'GET', `/v1/slices/${sliceId}`)).body;
  }

  /** The operation as the API shows it to its account. */
  async operation<T extends OperationView = OperationView>(
    token: string,
    operationId: string,
  ): Promise<T> {
    return (await this.api<T>(token, 'GET', `/v1/operations/${operationId}`)).body;
  }

  /** The snapshot as the API shows it to its account. */
  async snapshot<T extends SnapshotView = SnapshotView>(
    token: string,
    snapshotId: string,
  ): Promise<T> {
    return (await this.api<T>(token, 'GET', `/v1/snapshots/${snapshotId}`)).body;
  }

  /** Asks for the snapshot to be restored into its slice; a confirmed restore unless `body` differs. */
  restore<T extends OperationView = OperationView>(
    token: string,
    snapshotId: string,
    body: Record<string, unknown> = { confirm: true },
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<{ operation: T }>> {
    return this.api<{ operation: T }>(token, 'POST', `/v1/snapshots/${snapshotId}/restore`, {
      body,
      headers,
    });
  }

  /** Asks for the slice to be powered on or off. */
  power(token: string, sliceId: string, state: 'on' | 'off') {
    return this.api<{ operation: OperationView }>(token, 'POST', `/v1/slices/${sliceId}/power`, {
      body: { state },
    });
  }

  /** Asks for the slice's deletion; `query` adds options such as `?finalSnapshot=true`. */
  deleteSlice<T extends OperationView = OperationView>(
    token: string,
    sliceId: string,
    query = '',
  ): Promise<ApiAnswer<{ operation: T }>> {
    return this.api<{ operation: T }>(token, 'DELETE', `/v1/slices/${sliceId}${query}`);
  }

  /** Asks for the snapshot's deletion at once, past the recycle bin. */
  purge<T = { operation: OperationView }>(
    token: string,
    snapshotId: string,
  ): Promise<ApiAnswer<T>> {
    return this.api<T>(token, 'DELETE', `/v1/snapshots/${snapshotId}?purge=true`);
  }

  /** A running slice with data, an available snapshot of it, and a copy of the disk it holds. */
  async sliceWithSnapshot(
    token: string,
    options: { name?: string; diskGB?: number } = {},
  ): Promise<{ slice: SliceView; snapshot: SnapshotView; snapshotId: string; image: string }> {
    const slice = await this.activeSlice(token, options.name, 50, options.diskGB);
    this.writeData(slice.id, SNAPSHOT_DATA, slice.diskBytes);
    const snapshot = await this.snapshotOf(token, slice.id, { name: 'golden' });
    return { slice, snapshot, snapshotId: snapshot.id, image: await this.copyOfDisk(slice.id) };
  }

  /** Writes over part of the data a snapshot of `sliceWithSnapshot` holds, and some more. */
  overwrite(slice: SliceView): void {
    this.writeData(slice.id, LATER_DATA, slice.diskBytes);
  }

  diskPath(sliceId: string): string {
    return diskPathOf(this.agent.dataDir, sliceId);
  }

  /**
   * A copy of the slice's disk as it is now, to compare with later: sparse, and made by another
   * process, so the local cloud's servers (in this process) keep answering meanwhile.
   */
  async copyOfDisk(sliceId: string): Promise<string> {
    const directory = join(this.cloud.workDir, 'disk-copies');
    mkdirSync(directory, { recursive: true });
    const path = join(directory, `${sliceId}-${randomUUID()}.raw`);
    await promisify(execFile)('cp', ['--sparse=always', this.diskPath(sliceId), path]);
    return path;
  }

  /** Takes a snapshot through the API and waits for its workflow to end; fails unless it did. */
  async snapshotOf(
    token: string,
    sliceId: string,
    body: Record<string, unknown> = {},
  ): Promise<SnapshotView> {
    const accepted = await this.requestSnapshot(token, sliceId, body);
    if (accepted.status !== 202) throw new Error(`snapshot: ${JSON.stringify(accepted.body)}`);
    const execution = await this.finished('create-snapshot', accepted.body.operation.id);
    if (execution.status !== 'SUCCEEDED') throw new Error(`snapshot ${execution.status}`);
    const id = accepted.body.snapshot.id;
    return (await this.api<SnapshotView>(token, 'GET', `/v1/snapshots/${id}`)).body;
  }

  /** A new slice made from the snapshot (create-slice writes the image), once it is built. */
  async sliceFrom(token: string, snapshotId: string, diskGB = 1): Promise<SliceView> {
    const created = await this.api<{ slice: SliceView; operation: OperationView }>(
      token,
      'POST',
      '/v1/slices',
      { body: { name: 'from-snapshot', region: 'fra1', diskGB, snapshotId } },
    );
    if (created.status !== 202)
      throw new Error(`slice from snapshot: ${JSON.stringify(created.body)}`);
    const execution = await this.finished('create-slice', created.body.operation.id);
    if (execution.status !== 'SUCCEEDED')
      throw new Error(`slice from snapshot ${execution.status}`);
    return (await this.api<SliceView>(token, 'GET', `/v1/slices/${created.body.slice.id}`)).body;
  }

  /** Writes random bytes into the slice's disk file; answers the bytes of the chunks touched. */
  writeData(sliceId: string, writes: readonly DiskWrite[], diskBytes: number): number {
    const descriptor = openSync(this.diskPath(sliceId), 'r+');
    const touched = new Set<number>();
    try {
      for (const write of writes) {
        writeSync(descriptor, randomBytes(write.bytes), 0, write.bytes, write.offset);
        const first = Math.floor(write.offset / CHUNK_BYTES);
        const last = Math.floor((write.offset + write.bytes - 1) / CHUNK_BYTES);
        for (let index = first; index <= last; index++) touched.add(index);
      }
    } finally {
      closeSync(descriptor);
    }
    return [...touched].reduce(
      (sum, index) => sum + Math.min(CHUNK_BYTES, diskBytes - index * CHUNK_BYTES),
      0,
    );
  }

  /** The power state the agent keeps for the slice (its `state.json`), and when it last changed. */
  agentPower(sliceId: string): { power: string; updatedAt: string } {
    const file = join(this.agent.dataDir, 'slices', sliceId, 'state.json');
    return JSON.parse(readFileSync(file, 'utf8')) as { power: string; updatedAt: string };
  }

  /** Captures the agent still keeps for the slice. */
  captures(sliceId: string): string[] {
    const directory = join(this.agent.dataDir, 'slices', sliceId, 'captures');
    return existsSync(directory) ? readdirSync(directory) : [];
  }

  requestSnapshot(
    token: string,
    sliceId: string,
    body: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<SnapshotAccepted>> {
    return this.api<SnapshotAccepted>(token, 'POST', `/v1/slices/${sliceId}/snapshots`, {
      body,
      headers,
    });
  }

  /**
   * Holds the operation `start` begins while it reads the snapshot (the store refuses every chunk
   * read), makes the `meanwhile` request, then lets the reads through and waits for `workflow` to
   * end; answers both answers.
   */
  async whileReadsHeld<Started extends { body: { operation: OperationView } }, Meanwhile>(
    workflow: string,
    start: () => Promise<Started>,
    meanwhile: () => Promise<Meanwhile>,
  ): Promise<{ started: Started; meanwhile: Meanwhile }> {
    this.store.refuseGets(0);
    try {
      const started = await start();
      const answer = await meanwhile();
      this.store.refuseGets(null);
      await this.finished(workflow, started.body.operation.id);
      return { started, meanwhile: answer };
    } finally {
      this.store.refuseGets(null);
    }
  }

  executionArn(workflow: string, operationId: string): string {
    return executionArnOf('us-east-1', '000000000000', workflow, operationId);
  }

  async finished(
    workflow: string,
    operationId: string,
    { timeoutMs = 120_000, pollMs = 50 } = {},
  ): Promise<DescribeExecutionCommandOutput> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const described = await this.sfn.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(workflow, operationId) }),
      );
      if (described.status !== 'RUNNING') return described;
      if (Date.now() > deadline) throw new Error(`${workflow} ${operationId} still running`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async history(workflow: string, operationId: string): Promise<HistoryEvent[]> {
    const { events = [] } = await this.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: this.executionArn(workflow, operationId),
        maxResults: 1000,
      }),
    );
    return events;
  }

  async statesEntered(operationId: string, workflow = 'create-snapshot'): Promise<string[]> {
    return (await this.history(workflow, operationId)).flatMap((event) =>
      event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name
        ? [event.stateEnteredEventDetails.name]
        : [],
    );
  }

  /** The output a state left the execution with (its whole state after ResultPath). */
  async stateOutput(
    operationId: string,
    state: string,
    workflow = 'create-snapshot',
  ): Promise<Record<string, unknown>> {
    const exited = (await this.history(workflow, operationId)).find(
      (event) =>
        event.type?.endsWith('StateExited') && event.stateExitedEventDetails?.name === state,
    );
    return JSON.parse(exited?.stateExitedEventDetails?.output ?? '{}') as Record<string, unknown>;
  }

  /**
   * Detail-types emitted for a snapshot, once `expected` have arrived and every event written
   * until then is on the bus (so a repeat would be among them).
   */
  eventsOf(snapshotId: string, expected: number): Promise<string[]> {
    return this.#detailTypes((detail) => detail.snapshotId === snapshotId, expected);
  }

  /** The detail of the snapshot's event of `detailType`, once it has arrived on the bus. */
  eventDetail(snapshotId: string, detailType: string): Promise<Record<string, unknown>> {
    return this.eventWhere(detailType, (detail) => detail.snapshotId === snapshotId, snapshotId);
  }

  /** The detail of the first event of `detailType` that `match` takes, once it is on the bus. */
  eventWhere(
    detailType: string,
    match: (detail: Record<string, unknown>) => boolean,
    what = 'a match',
  ): Promise<Record<string, unknown>> {
    return eventually(async () => {
      const [entry] = readEventLog(this.cloud.eventsDir).filter(
        (each) => each.event['detail-type'] === detailType && match(each.event.detail),
      );
      return entry?.event.detail;
    }, `${detailType} of ${what}`);
  }

  /** Detail-types emitted by an operation, as {@link eventsOf} waits for them. */
  eventsOfOperation(operationId: string, expected: number): Promise<string[]> {
    return this.#detailTypes((detail) => detail.operationId === operationId, expected);
  }

  async #detailTypes(
    match: (detail: Record<string, unknown>) => boolean,
    expected: number,
  ): Promise<string[]> {
    const read = () =>
      readEventLog(this.cloud.eventsDir)
        .filter((entry) => match(entry.event.detail))
        .map((entry) => entry.event['detail-type']);
    const deadline = Date.now() + 5_000;
    while (read().length < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.cloud.eventsSettled();
    return read();
  }

  async #keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** The account's stored chunk keys. */
  chunkKeys(accountId: string): Promise<string[]> {
    return this.#keys(`${accountId}/chunks/`);
  }

  /** Snapshot ids of the account with a stored manifest. */
  async manifests(accountId: string): Promise<string[]> {
    const keys = await this.#keys(`${accountId}/snapshots/`);
    return keys.map((key) => key.split('/')[2] ?? '');
  }

  /** Every chunk key the account's stored manifests name. */
  async referencedChunkKeys(accountId: string): Promise<string[]> {
    const referenced = new Set<string>();
    for (const key of await this.#keys(`${accountId}/snapshots/`)) {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const manifest = parseManifest((await object.Body?.transformToString('utf8')) ?? '');
      for (const [, hash] of manifest.chunks) referenced.add(chunkKeyOf(accountId, hash));
    }
    return [...referenced].sort();
  }
}

/** True when two files hold the same bytes (`cmp` exits 0). */
export function sameBytes(a: string, b: string): boolean {
  return spawnSync('cmp', ['--silent', a, b]).status === 0;
}

/** Waits until `check` holds (polling every 25 ms), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
