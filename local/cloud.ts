import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findQemu } from '../agent/qemu/availability.ts';
import {
  AGENT_ROUTES,
  DEFAULT_REGIONS,
  ENV,
  LOCAL_POLICY_SCHEDULE_GROUP,
  LOCAL_TABLE_NAME,
  localImagesBucketOf,
} from '../blueprint/facts.ts';
import { runHandlersOn } from '../functions/shared/runtime-clock.ts';
import {
  assertWorkflowTimeout,
  FUNCTIONS,
  functionArnPlaceholder,
  PLACEHOLDER,
  SCHEDULES,
  WORKFLOWS,
} from '../infra/catalog.ts';
import { hostRegistryOf, type LocalAgent, localHostId, startLocalAgent } from './agents.ts';
import { LocalClock } from './clock.ts';
import { startControl } from './control.ts';
import { createTable, startDynamoDb } from './dynamodb.ts';
import { startEventBridge } from './eventbridge/index.ts';
import { createConsoleSite } from './gateway/console-site.ts';
import { openLocalIdentity } from './gateway/identity.ts';
import { startGateway } from './gateway/server.ts';
import { createLocalLambdas, PROJECT_ROOT } from './lambdas.ts';
import { emulatorLogPath } from './log-files.ts';
import { assertPortFree, freePort } from './net.ts';
import { S3RVER_CREDENTIALS, startS3 } from './s3.ts';
import { catalogSchedules, startScheduler, startSchedulerApi } from './scheduler/index.ts';
import { generateSecretValue, startSecrets } from './secrets/index.ts';
import { statusChangeRules } from './status-change-rules.ts';
import {
  executionStarterOn,
  localFunctionArn,
  StatusChangeRelay,
  startStepFunctions,
  substitutePlaceholders,
} from './stepfunctions/index.ts';
import { startStreamRelay } from './stream-relay.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_EVENT_BUS = 'slice-snapshots';
const CURSOR_KEY_SECRET = 'slice-snapshots/cursor-key';
/** The host registry secret: which hosts serve which region, their agents' URLs and secrets. */
export const HOST_REGISTRY_SECRET = 'slice-snapshots/host-registry';

/** Where a running local cloud can be reached; written to `<dataDir>/endpoints.json` for the CLI. */
export interface LocalEndpoints {
  api: string;
  dynamodb: string;
  s3: string;
  stepfunctions: string;
  eventbridge: string;
  secretsmanager: string;
  /** EventBridge Scheduler's API: the policies' schedules, run on the local clock. */
  scheduler: string;
  /** The local cloud's own control endpoint (its clock), which `npm run local -- clock` calls. */
  control: string;
  /** The host agents, one per region, by host id. */
  agents: Record<string, { region: string; url: string; dataDir: string }>;
  /** What the hosts run slices on, as their health answer says. */
  hypervisor: LocalHypervisor;
  dataDir: string;
  pid: number;
}

export interface LocalCloud {
  endpoints: LocalEndpoints;
  /** The local cloud's time, which the handlers, workflows and schedules all read. */
  clock: LocalClock;
  /** A bearer token for `account`, signed by the local identity provider. */
  mintToken(account: string): Promise<string>;
  close(): Promise<void>;
}

/** `qemu`: slices are QEMU VMs; `file`: sparse files and a power flag (`install` says what QEMU needs). */
export type LocalHypervisor =
  | { kind: 'qemu'; accel: string }
  | { kind: 'file'; install: string | null };

export interface LocalCloudOptions {
  dataDir: string;
  apiPort: number;
  log(line: string): void;
  /** `auto`: QEMU VMs where QEMU and the guest's packages are installed; default `file`. */
  hypervisor?: 'auto' | 'file' | 'qemu';
  /**
   * Each account's request limit, as a deployment sets it through `ENV`; by default the handlers
   * read the process's own variables, or the blueprint's defaults. Tools that poll
   * faster than a user would (benches, tests) raise it.
   */
  accountRateLimit?: { perSecond: number; burst: number };
  /** The web console to serve at `/` (built files, and the account its sign-in offers first). */
  console?: { directory: string; defaultAccount: string };
}

/** Which hypervisor the hosts run: `auto` takes QEMU where it is installed; `qemu` insists on it. */
async function resolveHypervisor(
  wanted: 'auto' | 'file' | 'qemu',
): Promise<{ kind: 'file' | 'qemu'; install: string | null }> {
  if (wanted === 'file') {
    const qemu = await findQemu();
    return { kind: 'file', install: qemu.ok ? null : qemu.install };
  }
  const qemu = await findQemu();
  if (qemu.ok) return { kind: 'qemu', install: null };
  if (wanted === 'qemu') {
    throw new Error(`--hypervisor qemu needs ${qemu.missing.join(', ')}: ${qemu.install}`);
  }
  return { kind: 'file', install: qemu.install };
}

/** The file a running local cloud advertises its endpoints in. */
export function endpointsFile(dataDir: string): string {
  return join(dataDir, 'endpoints.json');
}

export function readEndpoints(dataDir: string): LocalEndpoints {
  return JSON.parse(readFileSync(endpointsFile(dataDir), 'utf8')) as LocalEndpoints;
}

/**
 * Points the AWS SDK of every handler in this process at the emulators, through the SDK's standard
 * variables only: the handlers have no code path of their own for local use.
 */
function exportSdkEnvironment(
  endpoints: Omit<
    LocalEndpoints,
    'api' | 'agents' | 'dataDir' | 'pid' | 'hypervisor' | 'control' | 'scheduler'
  >,
) {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SFN: endpoints.stepfunctions,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager,
    // s3rver stores streamed bodies with their chunk framing unless checksums are only sent when required.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  });
}

/** Starts every emulator, the handlers, the workflows and the gateway, on loopback. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  await assertPortFree(options.apiPort);
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
  };
  try {
    // Kept across restarts: a clock moved forward never runs back over the records it stamped.
    const clock = LocalClock.persistedIn(join(dataDir, 'clock.json'));
    runHandlersOn(clock);
    closers.push(() => runHandlersOn());
    const [dynamo, s3] = await Promise.all([
      freePort().then((port) =>
        startDynamoDb({
          port,
          dataDir: join(dataDir, 'dynamodb'),
          logFile: emulatorLogPath(dataDir, 'dynamodb'),
        }),
      ),
      freePort().then((port) =>
        startS3({
          port,
          dataDir: join(dataDir, 's3'),
          buckets: DEFAULT_REGIONS.map((region) => localImagesBucketOf(region.id)),
          logFile: emulatorLogPath(dataDir, 's3'),
        }),
      ),
    ]);
    closers.push(dynamo.close, s3.close);
    const hypervisor = await resolveHypervisor(options.hypervisor ?? 'file');
    const [agents] = await Promise.all([
      startAgents(join(dataDir, 'agents'), s3.endpoint, closers, {
        AGENT_HYPERVISOR: hypervisor.kind,
        ...(hypervisor.kind === 'qemu'
          ? {
              AGENT_GUEST_CACHE_DIR: join(dataDir, 'guest'),
              // Stopping the local cloud is a host shutdown: VMs go down and come back next start.
              AGENT_VMS_ON_EXIT: 'shutdown',
            }
          : {}),
      }),
      createTable(dynamo.endpoint, LOCAL_TABLE_NAME),
    ]);

    const lambdas = createLocalLambdas(FUNCTIONS);
    const functionArns = Object.fromEntries(
      FUNCTIONS.map((spec) => [
        functionArnPlaceholder(spec.name),
        localFunctionArn(LOCAL_REGION, LOCAL_ACCOUNT_ID, spec.name),
      ]),
    );
    const substitutions = {
      ...functionArns,
      [PLACEHOLDER.eventBusName]: LOCAL_EVENT_BUS,
      [PLACEHOLDER.tableName]: LOCAL_TABLE_NAME,
    };
    // Status changes wait for the bus (it starts after Step Functions, whose executions it starts).
    const statusChanges = new StatusChangeRelay(options.log);
    const stepFunctions = await startStepFunctions({
      port: await freePort(),
      dataDir: join(dataDir, 'stepfunctions'),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      workflows: WORKFLOWS.map((workflow) => {
        const definition = readFileSync(join(PROJECT_ROOT, workflow.file), 'utf8');
        assertWorkflowTimeout(workflow, definition);
        return {
          name: workflow.name,
          definition: substitutePlaceholders(definition, substitutions),
        };
      }),
      invoker: { invoke: (name, payload) => lambdas.invoke(name, payload) },
      log: options.log,
      clock,
      onStatusChange: (record) => statusChanges.changed(record),
      // Their next steps need the agents, and the gateway their callbacks come through.
      deferResume: true,
    });
    closers.push(stepFunctions.close);
    const startExecution = executionStarterOn(() => stepFunctions.url, LOCAL_REGION);

    const eventBridge = await startEventBridge({
      port: await freePort(),
      dataDir: join(dataDir, 'eventbridge'),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      buses: [LOCAL_EVENT_BUS],
      rules: statusChangeRules({
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        stateMachineArns: WORKFLOWS.map((workflow) => stepFunctions.stateMachineArn(workflow.name)),
      }),
      invokeLambda: (name, event) => lambdas.invoke(name, event),
      startExecution,
      log: options.log,
    });
    closers.push(eventBridge.close, () => statusChanges.settled());
    // The relay stands in for DynamoDB Streams and EventBridge Pipes, bringing the outbox's events
    // to the bus.
    const streamRelay = await startStreamRelay({
      dynamoEndpoint: dynamo.endpoint,
      tableName: LOCAL_TABLE_NAME,
      eventBridgeEndpoint: eventBridge.url,
      eventBusName: LOCAL_EVENT_BUS,
      region: LOCAL_REGION,
      positionFile: join(dataDir, 'stream-relay', 'positions.json'),
      log: options.log,
    });
    closers.push(streamRelay.close);

    const secrets = await startSecrets({
      port: await freePort(),
      file: join(dataDir, 'secrets', 'secrets.json'),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      ensure: { [CURSOR_KEY_SECRET]: generateSecretValue },
    });
    closers.push(secrets.close);

    exportSdkEnvironment({
      secretsmanager: secrets.url,
      dynamodb: dynamo.endpoint,
      s3: s3.endpoint,
      stepfunctions: stepFunctions.url,
      eventbridge: eventBridge.url,
    });
    Object.assign(process.env, {
      [ENV.tableName]: LOCAL_TABLE_NAME,
      [ENV.imagesBuckets]: JSON.stringify(
        Object.fromEntries(DEFAULT_REGIONS.map((r) => [r.id, localImagesBucketOf(r.id)])),
      ),
      [ENV.regions]: JSON.stringify(DEFAULT_REGIONS),
      [ENV.cursorKeySecret]: secrets.arnOf(CURSOR_KEY_SECRET),
      [ENV.hostRegistrySecret]: secrets.arnOf(HOST_REGISTRY_SECRET),
      [ENV.stateMachineArns]: JSON.stringify(
        Object.fromEntries(WORKFLOWS.map((w) => [w.name, stepFunctions.stateMachineArn(w.name)])),
      ),
      ...(options.accountRateLimit
        ? {
            [ENV.accountRateLimitPerSecond]: String(options.accountRateLimit.perSecond),
            [ENV.accountRateLimitBurst]: String(options.accountRateLimit.burst),
          }
        : {}),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_SERVICE_NAME: 'slice-snapshots',
    });

    const scheduler = startScheduler({
      schedules: catalogSchedules(SCHEDULES, {
        invokeFunction: (name, input) => lambdas.invoke(name, input),
        startWorkflow: (workflow, input) =>
          startExecution(stepFunctions.stateMachineArn(workflow), input),
      }),
      now: () => clock.now(),
      timers: clock,
      log: options.log,
    });
    closers.push(() => scheduler.close());
    const schedulerApi = await startSchedulerApi({
      port: await freePort(),
      file: join(dataDir, 'scheduler', 'schedules.json'),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      scheduler,
      now: () => clock.now(),
      startExecution,
    });
    closers.push(schedulerApi.close);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SCHEDULER: schedulerApi.url,
      [ENV.policyScheduleGroup]: LOCAL_POLICY_SCHEDULE_GROUP,
      [ENV.policySchedulerRoleArn]: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/slice-snapshots-policy-scheduler`,
      // Named in each schedule as in AWS; the local scheduler logs a run it could not start.
      [ENV.policyScheduleDeadLetterArn]: `arn:aws:sqs:us-east-1:${LOCAL_ACCOUNT_ID}:slice-snapshots-policy-schedule-dead-letters`,
    });
    const control = await startControl({ port: await freePort(), clock });
    closers.push(control.close);

    const identity = await openLocalIdentity(join(dataDir, 'auth', 'signing-key.json'));
    const gateway = await startGateway({
      port: options.apiPort,
      functions: FUNCTIONS,
      lambdas,
      identity,
      ...(options.console ? { console: createConsoleSite({ ...options.console, identity }) } : {}),
      log: options.log,
    });
    closers.push(gateway.close);
    // Agents call back through the gateway, as they call API Gateway in AWS.
    secrets.put(
      HOST_REGISTRY_SECRET,
      hostRegistryOf(
        `${gateway.url}${AGENT_ROUTES.reportAgentCallback.path}`,
        await Promise.all(
          agents.map(async (agent) => ({ ...agent.host, ...(await slotsOf(agent)) })),
        ),
      ),
    );

    const endpoints: LocalEndpoints = {
      api: gateway.url,
      dynamodb: dynamo.endpoint,
      s3: s3.endpoint,
      stepfunctions: stepFunctions.url,
      eventbridge: eventBridge.url,
      secretsmanager: secrets.url,
      scheduler: schedulerApi.url,
      control: control.url,
      agents: Object.fromEntries(
        agents.map((agent) => [
          agent.host.id,
          { region: agent.host.region, url: agent.host.url, dataDir: agent.dataDir },
        ]),
      ),
      hypervisor: await hypervisorOf(agents, hypervisor.install),
      dataDir,
      pid: process.pid,
    };
    writeFileSync(endpointsFile(dataDir), JSON.stringify(endpoints, null, 2));
    // Everything the reconciler needs is up: executions found ended at start-up are told now, and
    // those a crash cut short go on (or end, and are told).
    statusChanges.connect(async (event) => eventBridge.putServiceEvent('default', event));
    await stepFunctions.resumeInterrupted();
    return {
      endpoints,
      clock,
      mintToken: (account) => identity.mintToken({ account }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * How often local agents report progress: more often than the agent's default (10 s), so that a
 * snapshot of a few GiB taken locally shows its progress move.
 */
const LOCAL_AGENT_HEARTBEAT_MS = 2_000;

/** The slices a QEMU host's memory runs at once, from its health answer. */
async function slotsOf(agent: LocalAgent): Promise<{ slots?: number }> {
  const health = (await (await fetch(`${agent.host.url}/v1/health`)).json()) as {
    vmSlots?: number;
  };
  return health.vmSlots === undefined ? {} : { slots: health.vmSlots };
}

/** What the first host's health answer says it runs slices on. */
async function hypervisorOf(
  agents: readonly LocalAgent[],
  install: string | null,
): Promise<LocalHypervisor> {
  const url = agents[0]?.host.url;
  const health = url
    ? ((await (await fetch(`${url}/v1/health`)).json()) as { hypervisor?: string; accel?: string })
    : {};
  return health.hypervisor === 'qemu'
    ? { kind: 'qemu', accel: health.accel ?? 'unknown' }
    : { kind: 'file', install };
}

/** One host agent per served region, stopped with the rest of the cloud. */
async function startAgents(
  agentsDir: string,
  s3Endpoint: string,
  closers: Array<() => Promise<void> | void>,
  settings: Readonly<Record<string, string>>,
): Promise<LocalAgent[]> {
  const started = await Promise.allSettled(
    DEFAULT_REGIONS.map((region) =>
      startLocalAgent({
        hostId: localHostId(region.id),
        region: region.id,
        agentsDir,
        s3Endpoint,
        bucket: localImagesBucketOf(region.id),
        heartbeatMs: LOCAL_AGENT_HEARTBEAT_MS,
        settings,
        restartOnExit: true,
      }),
    ),
  );
  const agents = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  for (const agent of agents) closers.push(agent.stop);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return agents;
}
