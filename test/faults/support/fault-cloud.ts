import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { diskPathOf, GUEST_IGNORES_SHUTDOWN } from '../../../agent/disk/file-driver.ts';
import type { AgentCommandType } from '../../../agent/protocol/commands.ts';
import { DEFAULT_REGIONS, localImagesBucketOf } from '../../../blueprint/facts.ts';
import { agentDataDir, localHostId } from '../../../local/agents.ts';
import { LOCAL_REGION } from '../../../local/cloud.ts';
import { startDynamoDb } from '../../../local/dynamodb.ts';
import { emulatorLogPath, localCloudLogPath } from '../../../local/log-files.ts';
import { freePort } from '../../../local/net.ts';
import { localS3Config, startS3 } from '../../../local/s3.ts';
import { readThrough } from '../../support/read-through.ts';
import { type StartedCloud, startNpmStart } from '../../support/start-local-cloud.ts';
import type { GateRule, GateSettings } from './step-gates.ts';

export const MIB = 1024 * 1024;
/** The account of the token `npm start` prints. */
export const ACCOUNT = 'acct-local';
const REGION = 'fra1';

export interface SliceView {
  id: string;
  status: string;
  power: 'on' | 'off';
  diskBytes: number;
}
export interface SnapshotView {
  id: string;
  status: string;
  region: string;
}
export interface OperationView {
  id: string;
  startedAt: string;
  status: 'running' | 'succeeded' | 'failed';
  error: { code: string } | null;
}
/** The answer to a request that starts an operation. */
export interface Accepted {
  readonly operation: OperationView;
}
export interface SnapshotAccepted extends Accepted {
  readonly snapshot: SnapshotView;
}
export interface SliceAccepted extends Accepted {
  readonly slice: SliceView;
}

/** Polls `read` (every 100 ms) until `done`, or fails naming what it waited for and the last value. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
  pollMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`still waiting for ${what}: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The module that gates the handlers of an npm start (see step-gates.ts). */
const STEP_GATES = join(import.meta.dirname, 'step-gates.ts');

/**
 * The gates file of a fault cloud's npm start: rules that hold a workflow step's handler before or
 * after it runs, or fail it, matched on each invocation (see step-gates.ts).
 */
export class StepGates {
  readonly file: string;
  #settings: Required<GateSettings> = { hold: [], holdAfter: [], fail: [] };
  #failures = 0;

  constructor(file: string) {
    this.file = file;
    this.#write();
  }

  /** The handler waits before it runs (its step does nothing) while the rule stands. */
  hold(rule: GateRule): void {
    this.#settings = { ...this.#settings, hold: [...this.#settings.hold, rule] };
    this.#write();
  }

  /** The handler runs, then waits before it answers (its work is done, unheard) while it stands. */
  holdAfter(rule: GateRule): void {
    this.#settings = { ...this.#settings, holdAfter: [...this.#settings.holdAfter, rule] };
    this.#write();
  }

  /** The next invocation that matches throws an error named `error` instead of running. */
  failNext(rule: GateRule, error: string): void {
    const entry = { ...rule, error, id: `failure-${++this.#failures}` };
    this.#settings = { ...this.#settings, fail: [...this.#settings.fail, entry] };
    this.#write();
  }

  /** Every gate open again. */
  clear(): void {
    this.#settings = { hold: [], holdAfter: [], fail: [] };
    this.#write();
  }

  #write(): void {
    // Whole or not at all: a handler may read it at any moment.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.#settings));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

/** Processes whose command line or environment names the data directory: emulators and agents. */
function pidsUnder(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (args.includes(dataDir) || env.includes(`=${dataDir}`)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * One `npm start` (file driver) in its own data directory, that a test kills with SIGKILL and
 * starts again as a user would, with what the fault tests need to hold a workflow at a step: the
 * execution history, the agents' command journals, the emulators' processes.
 */
export class FaultCloud {
  readonly dataDir: string;
  /** Opened by every restart: what a test holds is held until the kill, not after. */
  readonly gates: StepGates;
  readonly #env: Record<string, string>;
  #cloud: StartedCloud;
  /** Seconds from each restart to its operation's end, for the report. */
  readonly figures: Record<string, number> = {};

  private constructor(
    dataDir: string,
    gates: StepGates,
    env: Record<string, string>,
    cloud: StartedCloud,
  ) {
    this.dataDir = dataDir;
    this.gates = gates;
    this.#env = env;
    this.#cloud = cloud;
  }

  /**
   * One fault cloud for the describe block it is called in: started before its tests, stopped
   * after them, when it also prints the seconds each operation took to end (`figuresHeading`).
   */
  static forSuite(figuresHeading = 'operation ended, seconds after npm start'): FaultCloud {
    let cloud: FaultCloud | undefined;
    let failed = false;
    beforeAll(async () => {
      cloud = await FaultCloud.start();
    });
    beforeEach(({ onTestFailed }) => {
      onTestFailed(() => {
        failed = true;
      });
    });
    afterAll(async () => {
      process.stdout.write(`${figuresHeading}: ${JSON.stringify(cloud?.figures)}\n`);
      // A failure's story is in the local cloud's log, which goes with its data directory.
      if (failed) cloud?.printLogTail();
      await cloud?.stop();
    });
    return readThrough(() => cloud, 'the fault cloud is not started yet');
  }

  static async start(): Promise<FaultCloud> {
    const dataDir = mkdtempSync(join(tmpdir(), 'faults-'));
    const gates = new StepGates(join(dataDir, 'step-gates.json'));
    const env = {
      PORT: String(await freePort()),
      SLICE_SNAPSHOTS_DATA_DIR: dataDir,
      // Tests write the disk files directly: the file driver.
      SLICE_SNAPSHOTS_HYPERVISOR: 'file',
      FAULT_GATES_FILE: gates.file,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${STEP_GATES}`].filter(Boolean).join(' '),
    };
    return new FaultCloud(dataDir, gates, env, await startNpmStart(env));
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.#cloud.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#cloud.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** The body of a call that must be accepted (2xx); the answer in the error otherwise. */
  async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status >= 300) {
      throw new Error(
        `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body;
  }

  slice(id: string): Promise<SliceView> {
    return this.ok<SliceView>('GET', `/v1/slices/${id}`);
  }

  operation(id: string): Promise<OperationView> {
    return this.ok<OperationView>('GET', `/v1/operations/${id}`);
  }

  snapshot(id: string): Promise<SnapshotView> {
    return this.ok<SnapshotView>('GET', `/v1/snapshots/${id}`);
  }

  /** Waits until the operation is no longer running, and answers it. */
  operationEnded(id: string): Promise<OperationView> {
    return until(
      `operation ${id} to end`,
      () => this.operation(id),
      (o) => o.status !== 'running',
    );
  }

  takeSnapshot(sliceId: string, name: string, options: { powerOff?: boolean } = {}) {
    return this.ok<SnapshotAccepted>('POST', `/v1/slices/${sliceId}/snapshots`, {
      name,
      ...options,
    });
  }

  /** A snapshot taken and waited for: its id, once its operation has ended. */
  async snapshotTaken(
    sliceId: string,
    name: string,
    options: { powerOff?: boolean } = {},
  ): Promise<string> {
    const { snapshot, operation } = await this.takeSnapshot(sliceId, name, options);
    await this.operationEnded(operation.id);
    return snapshot.id;
  }

  createSlice(name: string, snapshotId?: string) {
    return this.ok<SliceAccepted>('POST', '/v1/slices', {
      name,
      region: REGION,
      diskGB: 1,
      ...(snapshotId === undefined ? {} : { snapshotId }),
    });
  }

  power(sliceId: string, state: 'on' | 'off') {
    return this.ok<Accepted>('POST', `/v1/slices/${sliceId}/power`, { state });
  }

  restore(snapshotId: string) {
    return this.ok<Accepted>('POST', `/v1/snapshots/${snapshotId}/restore`, { confirm: true });
  }

  deleteSlice(sliceId: string) {
    return this.ok<Accepted>('DELETE', `/v1/slices/${sliceId}`);
  }

  purgeSnapshot(snapshotId: string) {
    return this.ok<Accepted>('DELETE', `/v1/snapshots/${snapshotId}?purge=true`);
  }

  async endpoints(): Promise<{ s3: string; stepfunctions: string; dynamodb: string }> {
    return JSON.parse(readFileSync(join(this.dataDir, 'endpoints.json'), 'utf8'));
  }

  agentDir(region = REGION): string {
    return agentDataDir(join(this.dataDir, 'agents'), localHostId(region));
  }

  diskPath(sliceId: string, region = REGION): string {
    return diskPathOf(this.agentDir(region), sliceId);
  }

  /** A slice of fra1, active and on, with `mib` MiB of random data from its first byte. */
  async activeSlice(name: string, mib: number): Promise<SliceView> {
    const { slice } = await this.createSlice(name);
    const active = await until(
      `slice ${name}`,
      () => this.slice(slice.id),
      (s) => s.status === 'active',
    );
    this.writeData(slice.id, 0, mib);
    return active;
  }

  /** Random data into the slice's disk file, as its guest would write it. */
  writeData(sliceId: string, offsetMib: number, mib: number): void {
    const descriptor = openSync(this.diskPath(sliceId), 'r+');
    try {
      writeSync(descriptor, randomBytes(mib * MIB), 0, mib * MIB, offsetMib * MIB);
    } finally {
      closeSync(descriptor);
    }
  }

  /** A sparse copy of the slice's disk, to compare it with later (removed with the data directory). */
  copyDisk(sliceId: string): string {
    const copy = join(mkdtempSync(join(this.dataDir, 'expected-')), 'disk.raw');
    const cp = spawnSync('cp', ['--sparse=always', this.diskPath(sliceId), copy]);
    if (cp.status !== 0) copyFileSync(this.diskPath(sliceId), copy);
    return copy;
  }

  /** Makes the slice's simulated guest ignore shutdown: a power-off waits for its 60 s timeout. */
  hangGuest(sliceId: string, hung: boolean): void {
    const marker = join(this.agentDir(), 'slices', sliceId, GUEST_IGNORES_SHUTDOWN);
    if (hung) writeFileSync(marker, '');
    else rmSync(marker, { force: true });
  }

  /** The pid of the emulator or agent whose command line (or AGENT_DATA_DIR) matches. */
  pidOf(which: 's3rver' | 'DynamoDBLocal' | 'agent'): number {
    const match =
      which === 'agent'
        ? (pid: number) =>
            readFileSync(`/proc/${pid}/environ`, 'utf8').includes(
              `AGENT_DATA_DIR=${this.agentDir()}\0`,
            )
        : (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(which);
    const pid = pidsUnder(this.dataDir).find(match);
    if (pid === undefined) throw new Error(`no ${which} process under ${this.dataDir}`);
    return pid;
  }

  /** Freezes a process (SIGSTOP): requests to it wait, so the step that sent them holds. */
  freeze(which: 's3rver' | 'agent'): number {
    const pid = this.pidOf(which);
    signal(pid, 'SIGSTOP');
    return pid;
  }

  thaw(pid: number): void {
    signal(pid, 'SIGCONT');
  }

  #sfn(endpoint: string): SFNClient {
    return new SFNClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** The ARN of the operation's execution (named by the operation's id), once it exists. */
  async #executionArnOf(sfn: SFNClient, operationId: string): Promise<string> {
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    const arn = await until(
      `the execution of ${operationId}`,
      async () => {
        for (const machine of stateMachines) {
          const { executions = [] } = await sfn.send(
            new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }),
          );
          const found = executions.find((e) => e.name === operationId);
          if (found) return found.executionArn;
        }
        return undefined;
      },
      (found) => found !== undefined,
      20_000,
    );
    return arn as string;
  }

  /** The states the operation's execution has entered, in order. */
  async #statesEntered(sfn: SFNClient, executionArn: string): Promise<string[]> {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
    );
    return events.flatMap((e) => e.stateEnteredEventDetails?.name ?? []);
  }

  /** Waits until the operation's execution (named by the operation's id) has entered `state`. */
  async waitForStep(operationId: string, state: string, timeoutMs = 20_000): Promise<void> {
    const sfn = this.#sfn((await this.endpoints()).stepfunctions);
    try {
      const executionArn = await this.#executionArnOf(sfn, operationId);
      await until(
        `${operationId} to enter ${state}`,
        () => this.#statesEntered(sfn, executionArn),
        (entered) => entered.includes(state),
        timeoutMs,
      );
    } finally {
      sfn.destroy();
    }
  }

  /** Waits until the operation is in the host step `state`, its agent command `type` running. */
  async waitForHostStep(
    operationId: string,
    state: string,
    sliceId: string,
    type: AgentCommandType,
  ): Promise<void> {
    await this.waitForStep(operationId, state);
    await this.waitForAgentCommand(sliceId, type);
  }

  /** Whether the operation's execution still runs, and the last state it entered. */
  async currentStep(operationId: string): Promise<{ status: string; state: string | undefined }> {
    const sfn = this.#sfn((await this.endpoints()).stepfunctions);
    try {
      const executionArn = await this.#executionArnOf(sfn, operationId);
      const { status = 'UNKNOWN' } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return { status, state: (await this.#statesEntered(sfn, executionArn)).at(-1) };
    } finally {
      sfn.destroy();
    }
  }

  /** Waits until the region's agent journals a command of this type for the slice in `state`. */
  async waitForAgentCommand(
    sliceId: string,
    type: AgentCommandType,
    state: 'running' | 'succeeded' = 'running',
    sinceMs = 0,
    region = REGION,
  ) {
    const dir = join(this.agentDir(region), 'commands');
    await until(
      `the agent's ${type} on ${sliceId} ${state}`,
      async () =>
        existsSync(dir) &&
        readdirSync(dir)
          .filter((name) => name.endsWith('.json'))
          .some((name) => {
            try {
              const record = JSON.parse(readFileSync(join(dir, name), 'utf8'));
              return (
                record.command?.type === type &&
                record.command?.sliceId === sliceId &&
                record.state === state &&
                Date.parse(record.startedAt) >= sinceMs
              );
            } catch {
              return false;
            }
          }),
      (found) => found,
      20_000,
      // Short enough to catch the moment a command ends, before the next step's command.
      10,
    );
  }

  /**
   * Holds the workflow at its step `next`: the agent is frozen the moment its `finished` command
   * has succeeded, so the next step's command waits for an answer. Frozen before its success
   * callback left (a window of a few ms), the workflow would not move on: thawed and tried again.
   */
  async freezeAgentBefore(
    operationId: string,
    sliceId: string,
    finished: AgentCommandType,
    next: string,
  ): Promise<void> {
    const { startedAt } = await this.operation(operationId);
    await this.waitForAgentCommand(sliceId, finished, 'succeeded', Date.parse(startedAt));
    for (let attempt = 1; ; attempt++) {
      const agent = this.freeze('agent');
      try {
        await this.waitForStep(operationId, next, 3_000);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        this.thaw(agent);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /**
   * SIGKILL to one emulator alone, then the same emulator started again on its port and data (as
   * a service manager would); the rest of the local cloud keeps running. Stopped with the cloud.
   */
  async killAndRestartEmulator(which: 's3rver' | 'DynamoDBLocal'): Promise<void> {
    const pid = this.pidOf(which);
    signal(pid, 'SIGKILL');
    await until(
      `${which} gone`,
      async () => existsSync(`/proc/${pid}`),
      (alive) => !alive,
      10_000,
    );
    const endpoints = await this.endpoints();
    if (which === 's3rver') {
      await startS3({
        port: Number(new URL(endpoints.s3).port),
        dataDir: join(this.dataDir, 's3'),
        buckets: DEFAULT_REGIONS.map((region) => localImagesBucketOf(region.id)),
        logFile: emulatorLogPath(this.dataDir, 's3'),
      });
    } else {
      await startDynamoDb({
        port: Number(new URL(endpoints.dynamodb).port),
        dataDir: join(this.dataDir, 'dynamodb'),
        logFile: emulatorLogPath(this.dataDir, 'dynamodb'),
      });
    }
  }

  /** SIGKILL to npm start's process group and to every process of its data directory. */
  async kill(): Promise<void> {
    const { child } = this.#cloud;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      signal(-(child.pid as number), 'SIGKILL');
      await exited;
    }
    await until(
      'every process of the local cloud gone',
      async () => {
        const left = pidsUnder(this.dataDir);
        for (const pid of left) signal(pid, 'SIGKILL');
        return left;
      },
      (left) => left.length === 0,
      20_000,
    );
  }

  /** `npm start` again on the same data directory and port, gates open; its seconds to the banner. */
  async restart(): Promise<number> {
    this.gates.clear();
    const started = performance.now();
    this.#cloud = await startNpmStart(this.#env);
    return (performance.now() - started) / 1000;
  }

  /**
   * The end of the test's cloud: killed rather than stopped gracefully (a SIGTERM waits for every
   * emulator to shut down), since its data directory is removed next.
   */
  /** The last lines of the local cloud's log, for a run whose data directory is about to go. */
  printLogTail(lines = 120): void {
    const log = localCloudLogPath(this.dataDir);
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-lines) : [];
    process.stdout.write(`--- the last ${tail.length} lines of ${log}\n${tail.join('\n')}\n---\n`);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  #s3(endpoint: string): S3Client {
    return new S3Client(localS3Config(endpoint));
  }

  async #keys(s3: S3Client, region: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: localImagesBucketOf(region),
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  /** A region's chunk keys of the account, and the chunk keys its manifests there name. */
  async storedChunks(
    region = REGION,
  ): Promise<{ stored: string[]; named: Set<string>; manifests: string[] }> {
    const s3 = this.#s3((await this.endpoints()).s3);
    try {
      const stored = await this.#keys(s3, region, `${ACCOUNT}/chunks/`);
      const manifests = (await this.#keys(s3, region, `${ACCOUNT}/snapshots/`)).filter((key) =>
        key.endsWith('/manifest.json'),
      );
      const named = new Set<string>();
      for (const key of manifests) {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: localImagesBucketOf(region), Key: key }),
        );
        const manifest = JSON.parse(await (object.Body?.transformToString() ?? '{}')) as {
          chunks: Array<[number, string, number]>;
        };
        for (const [, hash] of manifest.chunks) named.add(`${ACCOUNT}/chunks/${hash}`);
      }
      return { stored, named, manifests };
    } finally {
      s3.destroy();
    }
  }
}
