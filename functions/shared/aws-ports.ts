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
import type { Clock } from '../../core/ports/clock.ts';
import type { Ports } from '../../core/ports/ports.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { configuredImageBuckets, configuredRegions, requiredEnv } from './config.ts';
import { lazily, once } from './once.ts';

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
 * the image store). Every port of `Ports` needs its factory here: one left out is a type error.
 */
export function awsPorts(wiring: AwsPortsWiring): Ports {
  /** The table, named by the deployment; read when the first table adapter is built. */
  const table = () => ({
    client: wiring.documents,
    tableName: requiredEnv(ENV.tableName),
    cursorSigner: wiring.cursorSigner,
  });
  const stateMachineArns = once(() =>
    StateMachineArnsSchema.parse(JSON.parse(requiredEnv(ENV.stateMachineArns))),
  );
  const s3 = once(
    () =>
      new S3Client({
        // An S3-compatible endpoint set through the SDK's variable (s3rver locally) takes
        // path-style requests; AWS's own endpoint keeps the default virtual-hosted style.
        forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
      }),
  );
  const imageBuckets = once(() => configuredImageBuckets());
  /** The bucket of a served region (configuredImageBuckets checked that each has one). */
  const bucketOf = (regionId: string): string => {
    const bucket = imageBuckets().get(regionId);
    if (bucket === undefined) throw new Error(`no images bucket is configured for ${regionId}`);
    return bucket;
  };
  /** A store per served region, each on its region's bucket. */
  const perRegion = <Store>(make: (bucket: string) => Store) =>
    new PerRegionStores(imageBuckets().keys(), (regionId) => make(bucketOf(regionId)));

  const ports: Ports = lazily<Ports>({
    clock: () => wiring.clock,
    cursorSigner: () => wiring.cursorSigner,
    slices: () => new DynamoSliceRepository(table()),
    snapshots: () => new DynamoSnapshotRepository(table()),
    usage: () => new DynamoUsageRepository(table()),
    charges: () => new DynamoChargesRepository(table()),
    operations: () => new DynamoOperationRepository(table()),
    settings: () => new DynamoSettingsRepository(table()),
    policies: () => new DynamoPolicyRepository(table()),
    policyRuns: () => new DynamoPolicyRunRepository(table()),
    policySchedules: () => {
      const runPolicy = stateMachineArns()['run-policy'];
      if (runPolicy === undefined) throw new Error('no state machine is configured for run-policy');
      return new EventBridgePolicyScheduler({
        client: new SchedulerClient({}),
        groupName: requiredEnv(ENV.policyScheduleGroup),
        roleArn: requiredEnv(ENV.policySchedulerRoleArn),
        deadLetterArn: requiredEnv(ENV.policyScheduleDeadLetterArn),
        runPolicyStateMachineArn: runPolicy,
      });
    },
    calendar: () => new CronScheduleCalendar(),
    workflows: () =>
      new StepFunctionsWorkflowStarter({
        client: wiring.sfn(),
        stateMachineArns: stateMachineArns(),
      }),
    ids: () => new UlidIdGenerator({ clock: wiring.clock }),
    regions: () => new ConfiguredRegionCatalog(configuredRegions()),
    hosts: () =>
      new SecretsManagerHostDirectory({
        client: wiring.secrets(),
        secretId: requiredEnv(ENV.hostRegistrySecret),
      }),
    hostLoad: () => new DynamoHostLoad(table()),
    agents: () => new SignedHttpAgentGateway({ hosts: ports.hosts }),
    workflowTasks: () => new StepFunctionsWorkflowTasks({ client: wiring.sfn() }),
    images: () => perRegion((bucket) => new S3ImageStore({ client: s3(), bucket })),
    imageTransfer: () => new S3ImageTransfer({ client: s3(), bucketOf }),
    // A pass's tallies are the backend's own, read by no agent: they live in the first region's
    // bucket, whichever regions the account's snapshots are in.
    markTallies: () =>
      new S3MarkTallyStore({ client: s3(), bucket: bucketOf(configuredRegions()[0]?.id ?? '') }),
    collection: () => perRegion((bucket) => new S3CollectionStore({ client: s3(), bucket })),
    storage: () => new DynamoStorageRepository(table()),
    commandContexts: () =>
      new DynamoCommandContextRepository({ ...table(), now: () => wiring.clock.now() }),
    rateLimiter: () => new DynamoRateLimiter({ ...table(), clock: wiring.clock }),
  });
  return ports;
}
