import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { SignedHttpAgentGateway } from '../../adapters/agent/signed-http-agent-gateway.ts';
import { DynamoChargesRepository } from '../../adapters/aws/dynamo-charges-repository.ts';
import { DynamoCommandContextRepository } from '../../adapters/aws/dynamo-command-context-repository.ts';
import { DynamoHostLoad } from '../../adapters/aws/dynamo-host-load.ts';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { DynamoPolicyRepository } from '../../adapters/aws/dynamo-policy-repository.ts';
import { DynamoPolicyRunRepository } from '../../adapters/aws/dynamo-policy-run-repository.ts';
import { DynamoRateLimiter } from '../../adapters/aws/dynamo-rate-limiter.ts';
import { DynamoSettingsRepository } from '../../adapters/aws/dynamo-settings-repository.ts';
import { DynamoSliceRepository } from '../../adapters/aws/dynamo-slice-repository.ts';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { DynamoStorageRepository } from '../../adapters/aws/dynamo-storage-repository.ts';
import { DynamoUsageRepository } from '../../adapters/aws/dynamo-usage-repository.ts';
import { EventBridgePolicyScheduler } from '../../adapters/aws/eventbridge-policy-scheduler.ts';
import { S3CollectionStore } from '../../adapters/aws/s3-collection-store.ts';
import { S3ImageStore } from '../../adapters/aws/s3-image-store.ts';
import { S3ImageTransfer } from '../../adapters/aws/s3-image-transfer.ts';
import { S3MarkTallyStore } from '../../adapters/aws/s3-mark-tally-store.ts';
import { SecretsManagerHostDirectory } from '../../adapters/aws/secrets-manager-host-directory.ts';
import { StepFunctionsWorkflowStarter } from '../../adapters/aws/step-functions-workflow-starter.ts';
import { StepFunctionsWorkflowTasks } from '../../adapters/aws/step-functions-workflow-tasks.ts';
import { ConfiguredRegionCatalog } from '../../adapters/node/configured-region-catalog.ts';
import { CronScheduleCalendar } from '../../adapters/node/cron-schedule-calendar.ts';
import { PerRegionStores } from '../../adapters/node/per-region-stores.ts';
import { UlidIdGenerator } from '../../adapters/node/ulid-id-generator.ts';
import { ENV } from '../../blueprint/facts.ts';
import type { AgentGateway } from '../../core/ports/agent-gateway.ts';
import type { ChargesRepository } from '../../core/ports/charges-repository.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { CollectionStore } from '../../core/ports/collection-store.ts';
import type { CommandContextRepository } from '../../core/ports/command-context-repository.ts';
import type { HostDirectory } from '../../core/ports/host-directory.ts';
import type { HostLoad } from '../../core/ports/host-load.ts';
import type { IdGenerator } from '../../core/ports/id-generator.ts';
import type { ImageStore } from '../../core/ports/image-store.ts';
import type { ImageTransfer } from '../../core/ports/image-transfer.ts';
import type { MarkTallyStore } from '../../core/ports/mark-tally-store.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { PolicyRepository } from '../../core/ports/policy-repository.ts';
import type { PolicyRunRepository } from '../../core/ports/policy-run-repository.ts';
import type { PolicyScheduler } from '../../core/ports/policy-scheduler.ts';
import type { Ports } from '../../core/ports/ports.ts';
import type { RateLimiter } from '../../core/ports/rate-limiter.ts';
import type { RegionCatalog } from '../../core/ports/region-catalog.ts';
import type { Regional } from '../../core/ports/regional.ts';
import type { ScheduleCalendar } from '../../core/ports/schedule-calendar.ts';
import type { SettingsRepository } from '../../core/ports/settings-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SliceRepository } from '../../core/ports/slice-repository.ts';
import type { SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import type { StorageRepository } from '../../core/ports/storage-repository.ts';
import type { UsageRepository } from '../../core/ports/usage-repository.ts';
import type { WorkflowStarter } from '../../core/ports/workflow-starter.ts';
import type { WorkflowTasks } from '../../core/ports/workflow-tasks.ts';
import { configuredImageBuckets, configuredRegions, requiredEnv } from './config.ts';
import { once } from './once.ts';

/** The deployment's state machines: workflow name → ARN. */
const StateMachineArnsSchema = z.record(z.string(), z.string());

/** What the AWS ports are built from: the container's clients, the cursor key and the clock. */
export interface AwsPortsWiring {
  readonly documents: DynamoDBDocumentClient;
  readonly secrets: () => SecretsManagerClient;
  readonly sfn: () => SFNClient;
  readonly cursorSigner: Signer;
  readonly clock: Clock;
}

/**
 * Every port, on AWS. Each adapter is built on first use and then kept, so a function builds only
 * the adapters it uses and needs only their environment (one without an images bucket never builds
 * the image store). The class implements `Ports`, so a port left out is a type error.
 */
export class AwsPorts implements Ports {
  readonly clock: Clock;
  readonly #wiring: AwsPortsWiring;

  constructor(wiring: AwsPortsWiring) {
    this.#wiring = wiring;
    this.clock = wiring.clock;
  }

  /** The table, named by the deployment; read when the first table adapter is built. */
  #table() {
    return {
      client: this.#wiring.documents,
      tableName: requiredEnv(ENV.tableName),
      cursorSigner: this.#wiring.cursorSigner,
    };
  }

  readonly #slices = once(() => new DynamoSliceRepository(this.#table()));
  get slices(): SliceRepository {
    return this.#slices();
  }

  readonly #snapshots = once(() => new DynamoSnapshotRepository(this.#table()));
  get snapshots(): SnapshotRepository {
    return this.#snapshots();
  }

  readonly #usage = once(() => new DynamoUsageRepository(this.#table()));
  get usage(): UsageRepository {
    return this.#usage();
  }

  readonly #charges = once(() => new DynamoChargesRepository(this.#table()));
  get charges(): ChargesRepository {
    return this.#charges();
  }

  readonly #operations = once(() => new DynamoOperationRepository(this.#table()));
  get operations(): OperationRepository {
    return this.#operations();
  }

  readonly #settings = once(() => new DynamoSettingsRepository(this.#table()));
  get settings(): SettingsRepository {
    return this.#settings();
  }

  readonly #policies = once(() => new DynamoPolicyRepository(this.#table()));
  get policies(): PolicyRepository {
    return this.#policies();
  }

  readonly #policyRuns = once(() => new DynamoPolicyRunRepository(this.#table()));
  get policyRuns(): PolicyRunRepository {
    return this.#policyRuns();
  }

  readonly #policySchedules = once(() => {
    const runPolicy = this.#stateMachineArns()['run-policy'];
    if (runPolicy === undefined) throw new Error('no state machine is configured for run-policy');
    return new EventBridgePolicyScheduler({
      client: new SchedulerClient({}),
      groupName: requiredEnv(ENV.policyScheduleGroup),
      roleArn: requiredEnv(ENV.policySchedulerRoleArn),
      deadLetterArn: requiredEnv(ENV.policyScheduleDeadLetterArn),
      runPolicyStateMachineArn: runPolicy,
    });
  });
  get policySchedules(): PolicyScheduler {
    return this.#policySchedules();
  }

  readonly calendar: ScheduleCalendar = new CronScheduleCalendar();

  readonly #stateMachineArns = once(() =>
    StateMachineArnsSchema.parse(JSON.parse(requiredEnv(ENV.stateMachineArns))),
  );

  readonly #workflows = once(
    () =>
      new StepFunctionsWorkflowStarter({
        client: this.#wiring.sfn(),
        stateMachineArns: this.#stateMachineArns(),
      }),
  );
  get workflows(): WorkflowStarter {
    return this.#workflows();
  }

  readonly #ids = once(() => new UlidIdGenerator({ clock: this.clock }));
  get ids(): IdGenerator {
    return this.#ids();
  }

  readonly #regions = once(() => new ConfiguredRegionCatalog(configuredRegions()));
  get regions(): RegionCatalog {
    return this.#regions();
  }

  readonly #hosts = once(
    () =>
      new SecretsManagerHostDirectory({
        client: this.#wiring.secrets(),
        secretId: requiredEnv(ENV.hostRegistrySecret),
      }),
  );
  get hosts(): HostDirectory {
    return this.#hosts();
  }

  readonly #hostLoad = once(() => new DynamoHostLoad(this.#table()));
  get hostLoad(): HostLoad {
    return this.#hostLoad();
  }

  readonly #agents = once(() => new SignedHttpAgentGateway({ hosts: this.hosts }));
  get agents(): AgentGateway {
    return this.#agents();
  }

  readonly #workflowTasks = once(
    () => new StepFunctionsWorkflowTasks({ client: this.#wiring.sfn() }),
  );
  get workflowTasks(): WorkflowTasks {
    return this.#workflowTasks();
  }

  readonly #s3 = once(
    () =>
      new S3Client({
        // An S3-compatible endpoint set through the SDK's variable (s3rver locally) takes
        // path-style requests; AWS's own endpoint keeps the default virtual-hosted style.
        forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
      }),
  );

  readonly #imageBuckets = once(() => configuredImageBuckets());

  /** The bucket of a served region (configuredImageBuckets checked that each has one). */
  #bucketOf(regionId: string): string {
    const bucket = this.#imageBuckets().get(regionId);
    if (bucket === undefined) throw new Error(`no images bucket is configured for ${regionId}`);
    return bucket;
  }

  readonly #images = once(
    () =>
      new PerRegionStores(this.#imageBuckets().keys(), (regionId) => {
        return new S3ImageStore({ client: this.#s3(), bucket: this.#bucketOf(regionId) });
      }),
  );
  get images(): Regional<ImageStore> {
    return this.#images();
  }

  readonly #imageTransfer = once(
    () =>
      new S3ImageTransfer({
        client: this.#s3(),
        bucketOf: (regionId) => this.#bucketOf(regionId),
      }),
  );
  get imageTransfer(): ImageTransfer {
    return this.#imageTransfer();
  }

  // A pass's tallies are the backend's own, read by no agent: they live in the first region's
  // bucket, whichever regions the account's snapshots are in.
  readonly #markTallies = once(
    () =>
      new S3MarkTallyStore({
        client: this.#s3(),
        bucket: this.#bucketOf(configuredRegions()[0]?.id ?? ''),
      }),
  );
  get markTallies(): MarkTallyStore {
    return this.#markTallies();
  }

  readonly #collection = once(
    () =>
      new PerRegionStores(this.#imageBuckets().keys(), (regionId) => {
        return new S3CollectionStore({ client: this.#s3(), bucket: this.#bucketOf(regionId) });
      }),
  );
  get collection(): Regional<CollectionStore> {
    return this.#collection();
  }

  readonly #storage = once(() => new DynamoStorageRepository(this.#table()));
  get storage(): StorageRepository {
    return this.#storage();
  }

  readonly #commandContexts = once(
    () =>
      new DynamoCommandContextRepository({
        ...this.#table(),
        now: () => this.clock.now(),
      }),
  );
  get commandContexts(): CommandContextRepository {
    return this.#commandContexts();
  }

  readonly #rateLimiter = once(
    () => new DynamoRateLimiter({ ...this.#table(), clock: this.clock }),
  );
  get rateLimiter(): RateLimiter {
    return this.#rateLimiter();
  }

  get cursorSigner(): Signer {
    return this.#wiring.cursorSigner;
  }
}
