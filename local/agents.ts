import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { captureTail, stopChild } from './child-process.ts';
import { PROJECT_ROOT } from './lambdas.ts';
import { S3RVER_CREDENTIALS } from './s3.ts';

/** A host of the local cloud, as the host registry lists it. */
export interface LocalHost {
  readonly id: string;
  readonly region: string;
  readonly url: string;
  readonly secret: string;
  /** Slices its memory runs at once, as its health answer says (QEMU hosts only). */
  readonly slots?: number;
}

/** A running agent process. */
export interface LocalAgent {
  readonly host: LocalHost;
  /** The agent's own data directory: its slices' disks and its command journal. */
  readonly dataDir: string;
  /** The agent's process id (to pause it, or kill it as a crash would). */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface LocalAgentOptions {
  readonly hostId: string;
  readonly region: string;
  /** The host's signing secret; a fresh one when not given. */
  readonly secret?: string;
  /** Where every local agent keeps its data: this one under `<agentsDir>/<hostId>`. */
  readonly agentsDir: string;
  readonly s3Endpoint: string;
  readonly bucket: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly heartbeatMs?: number;
  readonly startTimeoutMs?: number;
  /** More AGENT_* settings (docs/agent-protocol.md), e.g. the store's timeouts. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Start the agent again, on the same port, whenever it exits unasked (as a service would). */
  readonly restartOnExit?: boolean;
}

/** The data directory of a local host's agent: its slices are under `slices/<sliceId>/`. */
export function agentDataDir(agentsDir: string, hostId: string): string {
  return join(agentsDir, hostId);
}

/** The id the local cloud gives the host of a region. */
export function localHostId(region: string): string {
  return `${region}-host-1`;
}

/**
 * Runs one host agent as a host would (`node agent/main.ts`, configured by AGENT_* variables), with
 * the local s3rver as its image store. Its output goes to `agent.log` in its data directory;
 * resolves once it listens. With `restartOnExit`, an agent that dies is started again on the same
 * port, as a host's service manager would, so that its VMs are found again.
 */
export async function startLocalAgent(options: LocalAgentOptions): Promise<LocalAgent> {
  const dataDir = agentDataDir(options.agentsDir, options.hostId);
  mkdirSync(dataDir, { recursive: true });
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const log = createWriteStream(join(dataDir, 'agent.log'), { flags: 'a' });
  let stopping = false;
  let current = await spawnAgent(options, dataDir, secret, options.port ?? 0, log);
  const port = Number(new URL(current.url).port);
  const supervise = (agent: SpawnedAgent) => {
    agent.child.once('exit', (code, signal) => {
      // A crash is restarted; an agent that stopped cleanly (exit 0, e.g. on the SIGTERM that
      // Ctrl-C sends the whole process group) was asked to stop and stays stopped.
      const crashed = signal === 'SIGKILL' || (code !== 0 && code !== null);
      if (stopping || !options.restartOnExit || !crashed) return;
      log.write(`agent exited (${signal ?? code}); starting it again\n`);
      spawnAgent(options, dataDir, secret, port, log).then(
        (next) => {
          current = next;
          if (stopping) void stopChild(next.child, 30_000);
          else supervise(next);
        },
        (error: Error) => log.write(`agent did not start again: ${error.message}\n`),
      );
    });
  };
  supervise(current);
  return {
    host: { id: options.hostId, region: options.region, url: current.url, secret },
    dataDir,
    get pid() {
      return current.child.pid ?? 0;
    },
    stop: async () => {
      stopping = true;
      // An agent with VMs powers them off on the way out (AGENT_VMS_ON_EXIT=shutdown): give it time.
      await stopChild(current.child, 30_000);
      log.end();
    },
  };
}

interface SpawnedAgent {
  readonly child: ChildProcess;
  readonly url: string;
}

async function spawnAgent(
  options: LocalAgentOptions,
  dataDir: string,
  secret: string,
  port: number,
  log: WriteStream,
): Promise<SpawnedAgent> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'agent', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      AGENT_HOST_ID: options.hostId,
      AGENT_SECRET: secret,
      AGENT_DATA_DIR: dataDir,
      AGENT_PORT: String(port),
      AGENT_S3_BUCKET: options.bucket,
      AGENT_S3_ENDPOINT: options.s3Endpoint,
      AGENT_S3_FORCE_PATH_STYLE: 'true',
      AGENT_S3_REGION: 'us-east-1',
      AGENT_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AGENT_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      ...(options.heartbeatMs ? { AGENT_HEARTBEAT_MS: String(options.heartbeatMs) } : {}),
      ...options.settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const tail = captureTail(child);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`agent ${options.hostId} did not start:\n${tail()}`)),
        options.startTimeoutMs ?? 60_000,
      );
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`agent ${options.hostId} exited with ${code}:\n${tail()}`));
      };
      child.once('exit', onExit);
      child.stdout.on('data', function listening(chunk: Buffer) {
        output += chunk.toString();
        const match = /"message":"agent listening".*?"url":"([^"]+)"/.exec(output);
        if (!match?.[1]) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout.off('data', listening);
        resolve(match[1]);
      });
    });
    return { child, url };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** The host registry document (adapters/aws/host-registry.ts) of the local cloud's hosts. */
export function hostRegistryOf(callbackUrl: string, hosts: readonly LocalHost[]): string {
  return JSON.stringify({
    callbackUrl,
    hosts: hosts.map(({ id, region, url, secret, slots }) => ({
      id,
      region,
      url,
      secret,
      ...(slots === undefined ? {} : { slots }),
    })),
  });
}
