import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CompressionMode } from './image/upload-image.ts';
import type { ChunkHashAlgorithm } from './protocol/manifest.ts';
import { MIN_SECRET_LENGTH } from './protocol/signing.ts';

export interface AgentConfig {
  readonly hostId: string;
  /** Per-host HMAC secret shared with the backend. */
  readonly secret: string;
  readonly listenHost: string;
  /** 0 picks a free port (printed on start). */
  readonly port: number;
  /** Slices, captures and the command journal live here. */
  readonly dataDir: string;
  readonly store: {
    readonly bucket: string;
    readonly region: string;
    readonly endpoint?: string;
    readonly forcePathStyle: boolean;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    readonly requestTimeoutMs: number;
    readonly maxAttempts: number;
  };
  readonly heartbeatMs: number;
  readonly concurrency: number;
  readonly workers: number;
  readonly hashAlgorithm: ChunkHashAlgorithm;
  readonly zstdLevel: number;
  readonly compression: CompressionMode;
  readonly guestShutdownMs: number;
  /** `file`: sparse files and a power flag; `qemu`: every running slice a QEMU virtual machine. */
  readonly hypervisor: 'file' | 'qemu';
  readonly qemu: {
    readonly accel: 'auto' | 'kvm' | 'tcg';
    /** Memory the host gives its VMs in all; `power-on` past it is refused. */
    readonly hostMemoryMb: number;
    readonly vmMemoryMb: number;
    readonly vmVcpus: number;
    /** Where the demo guest (kernel + initramfs) is built once and kept. */
    readonly guestCacheDir: string;
    /**
     * When the agent stops: `keep` leaves the VMs running (an agent restart or upgrade), `shutdown`
     * powers them off and starts them again on the next start (a host shutdown).
     */
    readonly vmsOnExit: 'keep' | 'shutdown';
  };
}

/** Environment variables the agent reads; `--name value` arguments override them (see ARGS). */
export const AGENT_ENV = {
  hostId: 'AGENT_HOST_ID',
  secret: 'AGENT_SECRET',
  listenHost: 'AGENT_LISTEN_HOST',
  port: 'AGENT_PORT',
  dataDir: 'AGENT_DATA_DIR',
  bucket: 'AGENT_S3_BUCKET',
  region: 'AGENT_S3_REGION',
  endpoint: 'AGENT_S3_ENDPOINT',
  forcePathStyle: 'AGENT_S3_FORCE_PATH_STYLE',
  accessKeyId: 'AGENT_S3_ACCESS_KEY_ID',
  secretAccessKey: 'AGENT_S3_SECRET_ACCESS_KEY',
  storeTimeoutMs: 'AGENT_S3_TIMEOUT_MS',
  storeMaxAttempts: 'AGENT_S3_MAX_ATTEMPTS',
  heartbeatMs: 'AGENT_HEARTBEAT_MS',
  concurrency: 'AGENT_CONCURRENCY',
  workers: 'AGENT_WORKERS',
  hash: 'AGENT_HASH',
  zstdLevel: 'AGENT_ZSTD_LEVEL',
  compression: 'AGENT_COMPRESSION',
  guestShutdownMs: 'AGENT_GUEST_SHUTDOWN_MS',
  hypervisor: 'AGENT_HYPERVISOR',
  qemuAccel: 'AGENT_QEMU_ACCEL',
  memoryMb: 'AGENT_MEMORY_MB',
  vmMemoryMb: 'AGENT_VM_MEMORY_MB',
  vmVcpus: 'AGENT_VM_VCPUS',
  guestCacheDir: 'AGENT_GUEST_CACHE_DIR',
  vmsOnExit: 'AGENT_VMS_ON_EXIT',
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `--data-dir /x` → AGENT_DATA_DIR=/x: every variable has its argument, kebab-case. */
function argsToEnv(argv: readonly string[]): Record<string, string> {
  const byArg = new Map(
    Object.values(AGENT_ENV).map((name) => [
      `--${name
        .replace(/^AGENT_/, '')
        .toLowerCase()
        .replaceAll('_', '-')}`,
      name,
    ]),
  );
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split(/=(.*)/s, 2);
    const name = flag && byArg.get(flag);
    if (!name) throw new ConfigError(`unknown argument ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    env[name] = value;
  }
  return env;
}

/** Reads the configuration, naming every problem at once; refuses to go on without a secret. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[] = [],
): AgentConfig {
  const values = { ...env, ...argsToEnv(argv) };
  const problems: string[] = [];
  const text = (name: string, fallback?: string): string => {
    const value = values[name]?.trim() || fallback;
    if (value === undefined) problems.push(`${name} is required`);
    return value ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
    }
    return value;
  };
  const secret = values[AGENT_ENV.secret] ?? '';
  if (secret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `${AGENT_ENV.secret} is required: the per-host signing secret, at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  const compression = values[AGENT_ENV.compression] ?? 'adaptive';
  if (compression !== 'adaptive' && compression !== 'always') {
    problems.push(`${AGENT_ENV.compression} must be adaptive or always`);
  }
  const hash = values[AGENT_ENV.hash] ?? 'blake3';
  if (hash !== 'blake3' && hash !== 'sha256')
    problems.push(`${AGENT_ENV.hash} must be blake3 or sha256`);
  const hypervisor = values[AGENT_ENV.hypervisor] ?? 'file';
  if (hypervisor !== 'file' && hypervisor !== 'qemu') {
    problems.push(`${AGENT_ENV.hypervisor} must be file or qemu`);
  }
  const accel = values[AGENT_ENV.qemuAccel] ?? 'auto';
  if (accel !== 'auto' && accel !== 'kvm' && accel !== 'tcg') {
    problems.push(`${AGENT_ENV.qemuAccel} must be auto, kvm or tcg`);
  }
  const vmsOnExit = values[AGENT_ENV.vmsOnExit] ?? 'keep';
  if (vmsOnExit !== 'keep' && vmsOnExit !== 'shutdown') {
    problems.push(`${AGENT_ENV.vmsOnExit} must be keep or shutdown`);
  }
  const accessKeyId = values[AGENT_ENV.accessKeyId];
  const secretAccessKey = values[AGENT_ENV.secretAccessKey];
  const endpoint = values[AGENT_ENV.endpoint];
  const config: AgentConfig = {
    hostId: text(AGENT_ENV.hostId),
    secret,
    listenHost: text(AGENT_ENV.listenHost, '127.0.0.1'),
    port: integer(AGENT_ENV.port, 0, 0, 65535),
    dataDir: text(AGENT_ENV.dataDir),
    store: {
      bucket: text(AGENT_ENV.bucket),
      region: text(AGENT_ENV.region, values.AWS_REGION ?? 'us-east-1'),
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: values[AGENT_ENV.forcePathStyle] === 'true',
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      requestTimeoutMs: integer(AGENT_ENV.storeTimeoutMs, 30_000, 100, 600_000),
      maxAttempts: integer(AGENT_ENV.storeMaxAttempts, 3, 1, 10),
    },
    heartbeatMs: integer(AGENT_ENV.heartbeatMs, 10_000, 10, 600_000),
    concurrency: integer(AGENT_ENV.concurrency, 8, 1, 64),
    workers: integer(AGENT_ENV.workers, Math.min(4, availableParallelism()), 1, 64),
    hashAlgorithm: hash === 'sha256' ? 'sha256' : 'blake3',
    zstdLevel: integer(AGENT_ENV.zstdLevel, 1, 0, 19),
    compression: compression === 'always' ? 'always' : 'adaptive',
    guestShutdownMs: integer(AGENT_ENV.guestShutdownMs, 20, 0, 600_000),
    hypervisor: hypervisor === 'qemu' ? 'qemu' : 'file',
    qemu: {
      accel: accel === 'kvm' || accel === 'tcg' ? accel : 'auto',
      hostMemoryMb: integer(
        AGENT_ENV.memoryMb,
        Math.floor((totalmem() / 2 ** 20) * 0.75),
        64,
        16 * 2 ** 20,
      ),
      vmMemoryMb: integer(AGENT_ENV.vmMemoryMb, 256, 64, 2 ** 20),
      vmVcpus: integer(AGENT_ENV.vmVcpus, 1, 1, 64),
      guestCacheDir:
        values[AGENT_ENV.guestCacheDir]?.trim() || join(values[AGENT_ENV.dataDir] ?? '', 'guest'),
      vmsOnExit: vmsOnExit === 'shutdown' ? 'shutdown' : 'keep',
    },
  };
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return config;
}
