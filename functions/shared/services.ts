import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgentCallbackAuthenticator } from '../../adapters/agent/agent-callback-authenticator.ts';
import { SignedHttpAgentGateway } from '../../adapters/agent/signed-http-agent-gateway.ts';
import { ConfiguredRegionCatalog } from '../../adapters/aws/configured-region-catalog.ts';
import { DynamoChargesRepository } from '../../adapters/aws/dynamo-charges-repository.ts';
import { DynamoCommandContexts } from '../../adapters/aws/dynamo-command-contexts.ts';
import { DynamoHostLoad } from '../../adapters/aws/dynamo-host-load.ts';
import { DynamoNonceRegistry } from '../../adapters/aws/dynamo-nonce-registry.ts';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { DynamoRateLimiter } from '../../adapters/aws/dynamo-rate-limiter.ts';
import { DynamoSliceRepository } from '../../adapters/aws/dynamo-slice-repository.ts';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { DynamoUploadRegistry } from '../../adapters/aws/dynamo-upload-registry.ts';
import { DynamoUsageRepository } from '../../adapters/aws/dynamo-usage-repository.ts';
import { HmacSigner } from '../../adapters/aws/hmac-signer.ts';
import { S3SnapshotImageStore } from '../../adapters/aws/s3-snapshot-image-store.ts';
import { SecretsManagerHostDirectory } from '../../adapters/aws/secrets-manager-host-directory.ts';
import { StepFunctionsWorkflowStarter } from '../../adapters/aws/step-functions-workflow-starter.ts';
import { StepFunctionsWorkflowTasks } from '../../adapters/aws/step-functions-workflow-tasks.ts';
import { SystemClock } from '../../adapters/aws/system-clock.ts';
import { UlidIdGenerator } from '../../adapters/aws/ulid-id-generator.ts';
import type { Ports } from '../../core/ports/ports.ts';
import type { RateLimit } from '../../core/ports/rate-limiter.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { ENV } from '../../infra/catalog.ts';
import { configuredAccountRateLimit, configuredRegions, requiredEnv } from './config.ts';
import { createIdempotency, type RunOnce } from './idempotency.ts';

/** Everything a handler draws on, built once per container. */
export interface Services {
  readonly ports: Ports;
  readonly runOnce: RunOnce;
  /** Verifies signed agent callbacks (the callback route's own authentication). */
  readonly callbackAuthenticator: AgentCallbackAuthenticator;
  /** Each account's request limit over the authenticated routes; undefined when it is off. */
  readonly accountRateLimit: RateLimit | undefined;
}

/** A signer that refuses to sign when the deployment gave this function no cursor key. */
const NO_CURSOR_KEY: Signer = {
  sign() {
    throw new Error(`${ENV.cursorKeySecret} is not set: this function cannot page lists`);
  },
};

async function readSecret(client: SecretsManagerClient, secretId: string): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new Error(`secret ${secretId} has no string value`);
  return SecretString;
}

/** Defines `name` on `target` as a getter that builds the value on first use, then keeps it. */
function lazy<T extends object, K extends keyof T>(target: T, name: K, build: () => T[K]): void {
  let value: T[K] | undefined;
  Object.defineProperty(target, name, { enumerable: true, get: () => (value ??= build()) });
}

async function build(): Promise<Services> {
  const dynamo = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const clients = {} as { secrets: SecretsManagerClient; sfn: SFNClient };
  lazy(clients, 'secrets', () => new SecretsManagerClient({}));
  lazy(clients, 'sfn', () => new SFNClient({}));
  const cursorKeySecret = process.env[ENV.cursorKeySecret];
  const cursorSigner = cursorKeySecret
    ? new HmacSigner(await readSecret(clients.secrets, cursorKeySecret))
    : NO_CURSOR_KEY;
  const table = () => ({
    client: documents,
    tableName: requiredEnv(ENV.tableName),
    cursorSigner,
  });
  const clock = new SystemClock();
  const ports = { clock } as Ports;
  lazy(ports, 'slices', () => new DynamoSliceRepository(table()));
  lazy(ports, 'snapshots', () => new DynamoSnapshotRepository(table()));
  lazy(ports, 'usage', () => new DynamoUsageRepository(table()));
  lazy(ports, 'charges', () => new DynamoChargesRepository(table()));
  lazy(ports, 'operations', () => new DynamoOperationRepository(table()));
  lazy(ports, 'ids', () => new UlidIdGenerator({ clock }));
  lazy(ports, 'regions', () => new ConfiguredRegionCatalog(configuredRegions()));
  lazy(
    ports,
    'workflows',
    () =>
      new StepFunctionsWorkflowStarter({
        client: clients.sfn,
        stateMachineArns: JSON.parse(requiredEnv(ENV.stateMachineArns)) as Record<string, string>,
      }),
  );
  lazy(
    ports,
    'hosts',
    () =>
      new SecretsManagerHostDirectory({
        client: clients.secrets,
        secretId: requiredEnv(ENV.hostRegistrySecret),
      }),
  );
  lazy(ports, 'hostLoad', () => new DynamoHostLoad(table()));
  lazy(ports, 'agents', () => new SignedHttpAgentGateway({ hosts: ports.hosts }));
  lazy(ports, 'workflowTasks', () => new StepFunctionsWorkflowTasks({ client: clients.sfn }));
  lazy(
    ports,
    'images',
    () =>
      new S3SnapshotImageStore({
        client: new S3Client({
          // An S3-compatible endpoint set through the SDK's variable (s3rver locally) takes
          // path-style requests; AWS's own endpoint keeps the default virtual-hosted style.
          forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
        }),
        bucket: requiredEnv(ENV.imagesBucket),
      }),
  );
  lazy(ports, 'uploads', () => new DynamoUploadRegistry(table()));
  lazy(ports, 'commandContexts', () => new DynamoCommandContexts(table()));
  lazy(ports, 'rateLimiter', () => new DynamoRateLimiter({ ...table(), clock }));
  const services = { ports, accountRateLimit: configuredAccountRateLimit() } as Services;
  lazy(
    services,
    'callbackAuthenticator',
    () =>
      new AgentCallbackAuthenticator({
        hosts: ports.hosts,
        nonces: new DynamoNonceRegistry(table()),
      }),
  );
  lazy(services, 'runOnce', () =>
    createIdempotency({ tableName: requiredEnv(ENV.tableName), client: dynamo }),
  );
  return services;
}

/**
 * What the services are built from: the SDK's region, credentials and endpoint variables and the
 * deployment's wiring. In Lambda it never changes within a container; a process that runs the
 * handlers against one set of endpoints, then another (the local cloud started again), gets
 * services for the endpoints it has now, not clients bound to ports that have closed.
 */
function environmentKey(): string {
  const names = [
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    ...Object.keys(process.env).filter((name) => name.startsWith('AWS_ENDPOINT_URL')),
    ...Object.values(ENV),
  ].sort();
  return JSON.stringify(names.map((name) => [name, process.env[name] ?? null]));
}

let built: { key: string; services: Promise<Services> } | undefined;

/**
 * The composition root: AWS clients and adapters, created once per container on first use, and
 * again only when the environment they were built from has changed.
 */
export function services(): Promise<Services> {
  const key = environmentKey();
  if (built?.key !== key) {
    const entry = {
      key,
      services: build().catch((error: unknown) => {
        if (built === entry) built = undefined;
        throw error;
      }),
    };
    built = entry;
  }
  return built.services;
}
