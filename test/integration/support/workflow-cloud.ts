import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ROUTES, ENV, LOCAL_POLICY_SCHEDULE_GROUP } from '../../../blueprint/facts.ts';
import { runHandlersOn } from '../../../functions/shared/runtime-clock.ts';
import {
  FUNCTIONS,
  functionArnPlaceholder,
  PLACEHOLDER,
  WORKFLOWS,
} from '../../../infra/catalog.ts';
import { hostRegistryOf, type LocalHost } from '../../../local/agents.ts';
import { LocalClock } from '../../../local/clock.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_EVENT_BUS, LOCAL_REGION } from '../../../local/cloud.ts';
import { startEventBridge } from '../../../local/eventbridge/index.ts';
import { openLocalIdentity } from '../../../local/gateway/identity.ts';
import { startGateway } from '../../../local/gateway/server.ts';
import { createLocalLambdas, PROJECT_ROOT } from '../../../local/lambdas.ts';
import { S3RVER_CREDENTIALS } from '../../../local/s3.ts';
import { startScheduler, startSchedulerApi } from '../../../local/scheduler/index.ts';
import { generateSecretValue, startSecrets } from '../../../local/secrets/index.ts';
import { statusChangeRules } from '../../../local/status-change-rules.ts';
import {
  executionStarterOn,
  localFunctionArn,
  StatusChangeRelay,
  startStepFunctions,
  substitutePlaceholders,
} from '../../../local/stepfunctions/index.ts';
import { startStreamRelay } from '../../../local/stream-relay.ts';

const REGISTRY = 'host-registry';
const CURSOR_KEY = 'cursor-key';

/** The pieces of the local cloud a workflow runs through, around given emulators. */
export interface WorkflowCloud {
  readonly api: string;
  readonly callbackUrl: string;
  readonly eventsDir: string;
  readonly workDir: string;
  readonly stepFunctions: string;
  /** The cloud's time: the handlers, heartbeat and execution timeouts read it; tests move it. */
  readonly clock: LocalClock;
  stateMachineArn(workflow: string): string;
  /**
   * Resolves once every outbox event written before the call is on the bus, delivered and logged:
   * after it, an event that is not in the log was not sent, and a repeat would be there.
   */
  eventsSettled(): Promise<void>;
  token(account: string): Promise<string>;
  /** The schedules the local scheduler runs now (the policies' among them, as `<group>/<name>`). */
  schedules(): string[];
  /** Rewrites the host registry, as an operator would. */
  registerHosts(hosts: readonly LocalHost[]): void;
  /**
   * The local Step Functions killed and started again on its port: the new one reads what the old
   * one had on disk at that moment (as a killed process leaves it), and goes on with what it finds
   * running. The rest of the cloud (handlers, gateway, agents) runs on.
   */
  crashStepFunctions(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real handlers (local/lambdas.ts) behind the local Step Functions endpoint running the
 * catalog's ASL files, the gateway (API and agent callbacks), EventBridge and Secrets Manager, on
 * the DynamoDB Local and s3rver of the shared setup. Handlers find them through the standard SDK
 * variables, set here for this test process.
 */
export async function startWorkflowCloud(options: {
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  regions: readonly { id: string; name: string }[];
  /** Each region's images bucket, by region id; unset when the workflows touch no image. */
  imagesBuckets?: Readonly<Record<string, string>>;
  /**
   * Changes a workflow's ASL before it is loaded (placeholders already substituted), for a test
   * that needs a timing the real file does not have; every such change is the test's to declare.
   */
  adjustDefinition?: (workflow: string, definition: string) => string;
  /** The cloud's clock; by default one that starts at the machine's time. */
  clock?: LocalClock;
}): Promise<WorkflowCloud> {
  const workDir = mkdtempSync(join(tmpdir(), 'workflow-cloud-'));
  const closers: Array<() => Promise<void>> = [];
  const clock = options.clock ?? new LocalClock();
  runHandlersOn(clock);
  closers.push(async () => runHandlersOn());
  const lambdas = createLocalLambdas(FUNCTIONS);
  const substitutions = {
    ...Object.fromEntries(
      FUNCTIONS.map((spec) => [
        functionArnPlaceholder(spec.name),
        localFunctionArn(LOCAL_REGION, LOCAL_ACCOUNT_ID, spec.name),
      ]),
    ),
    [PLACEHOLDER.eventBusName]: LOCAL_EVENT_BUS,
    [PLACEHOLDER.tableName]: options.tableName,
  };
  // Executions' status changes reach the default bus, whose rule invokes the reconciler.
  const statusChanges = new StatusChangeRelay();
  const startSfn = (port: number, dataDir: string) =>
    startStepFunctions({
      port,
      onStatusChange: (record) => statusChanges.changed(record),
      dataDir,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      workflows: WORKFLOWS.map((workflow) => {
        const definition = substitutePlaceholders(
          readFileSync(join(PROJECT_ROOT, workflow.file), 'utf8'),
          substitutions,
        );
        return {
          name: workflow.name,
          definition: options.adjustDefinition?.(workflow.name, definition) ?? definition,
        };
      }),
      invoker: lambdas,
      clock,
    });
  let sfnDataDir = join(workDir, 'stepfunctions');
  let stepFunctions = await startSfn(0, sfnDataDir);
  closers.push(() => stepFunctions.close());
  const eventsDir = join(workDir, 'eventbridge');
  const eventBridge = await startEventBridge({
    port: 0,
    dataDir: eventsDir,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    buses: [LOCAL_EVENT_BUS],
    rules: statusChangeRules({
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      stateMachineArns: WORKFLOWS.map((workflow) => stepFunctions.stateMachineArn(workflow.name)),
    }),
    invokeLambda: (name, event) => lambdas.invoke(name, event),
    startExecution: async () => undefined,
  });
  closers.push(eventBridge.close, () => statusChanges.settled());
  // Every file's cloud shares the table: each relays what is written from its start on.
  const streamRelay = await startStreamRelay({
    dynamoEndpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    eventBridgeEndpoint: eventBridge.url,
    eventBusName: LOCAL_EVENT_BUS,
    region: LOCAL_REGION,
    startAt: 'LATEST',
  });
  closers.push(streamRelay.close);
  const secrets = await startSecrets({
    port: 0,
    file: join(workDir, 'secrets.json'),
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    // The key that signs cursors, as the local cloud makes it: pages of lists and changes.
    ensure: { [CURSOR_KEY]: generateSecretValue },
  });
  closers.push(secrets.close);
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: options.s3Endpoint,
    AWS_ENDPOINT_URL_SFN: stepFunctions.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    [ENV.tableName]: options.tableName,
    // Tests poll every 25 ms, past an account's default rate: a limit far above it, still spent.
    [ENV.accountRateLimitPerSecond]: '1000',
    [ENV.accountRateLimitBurst]: '2000',
    ...(options.imagesBuckets
      ? { [ENV.imagesBuckets]: JSON.stringify(options.imagesBuckets) }
      : {}),
    [ENV.regions]: JSON.stringify(options.regions),
    [ENV.hostRegistrySecret]: secrets.arnOf(REGISTRY),
    [ENV.cursorKeySecret]: secrets.arnOf(CURSOR_KEY),
    [ENV.stateMachineArns]: JSON.stringify(
      Object.fromEntries(WORKFLOWS.map((w) => [w.name, stepFunctions.stateMachineArn(w.name)])),
    ),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  // The policies' schedules: the Scheduler API the handlers call, run on this cloud's clock.
  const scheduler = startScheduler({ schedules: [], now: () => clock.now(), timers: clock });
  closers.push(async () => scheduler.close());
  const schedulerApi = await startSchedulerApi({
    port: 0,
    file: join(workDir, 'schedules.json'),
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    scheduler,
    now: () => clock.now(),
    // The endpoint of now: a crash starts Step Functions again on the same port.
    startExecution: executionStarterOn(() => stepFunctions.url, LOCAL_REGION),
  });
  closers.push(schedulerApi.close);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SCHEDULER: schedulerApi.url,
    [ENV.policyScheduleGroup]: LOCAL_POLICY_SCHEDULE_GROUP,
    [ENV.policySchedulerRoleArn]: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/policy-scheduler`,
    [ENV.policyScheduleDeadLetterArn]: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:policy-schedule-dead-letters`,
  });
  const identity = await openLocalIdentity(join(workDir, 'signing-key.json'));
  const gateway = await startGateway({ port: 0, functions: FUNCTIONS, lambdas, identity });
  closers.push(gateway.close);
  const callbackUrl = `${gateway.url}${AGENT_ROUTES.reportAgentCallback.path}`;
  statusChanges.connect(async (event) => eventBridge.putServiceEvent('default', event));
  return {
    api: gateway.url,
    callbackUrl,
    eventsDir,
    workDir,
    stepFunctions: stepFunctions.url,
    clock,
    stateMachineArn: (workflow) => stepFunctions.stateMachineArn(workflow),
    eventsSettled: async () => {
      await streamRelay.caughtUp();
      await eventBridge.settled();
    },
    token: (account) => identity.mintToken({ account }),
    schedules: () => scheduler.names(),
    registerHosts: (hosts) => secrets.put(REGISTRY, hostRegistryOf(callbackUrl, hosts)),
    crashStepFunctions: async () => {
      const left = join(workDir, `stepfunctions-${randomBytes(4).toString('hex')}`);
      cpSync(sfnDataDir, left, { recursive: true, filter: (path) => !path.endsWith('.tmp') });
      await stepFunctions.close();
      sfnDataDir = left;
      stepFunctions = await startSfn(Number(new URL(stepFunctions.url).port), sfnDataDir);
    },
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A fresh signing secret for a test host. */
export function aHostSecret(): string {
  return randomBytes(32).toString('base64url');
}
