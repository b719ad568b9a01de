import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgentCallbackAuthenticator } from '../../adapters/agent/agent-callback-authenticator.ts';
import { DynamoNonceRegistry } from '../../adapters/aws/dynamo-nonce-registry.ts';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { ENV } from '../../blueprint/facts.ts';
import type { Ports } from '../../core/ports/ports.ts';
import type { RateLimit } from '../../core/ports/rate-limiter.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { awsPorts } from './aws-ports.ts';
import { configuredAccountRateLimit, requiredEnv } from './config.ts';
import { createIdempotency, type RunOnce } from './idempotency.ts';
import { once } from './once.ts';
import { runtimeClock } from './runtime-clock.ts';

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

async function build(): Promise<Services> {
  const dynamo = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const secrets = once(() => new SecretsManagerClient({}));
  const sfn = once(() => new SFNClient({}));
  const cursorKeySecret = process.env[ENV.cursorKeySecret];
  const cursorSigner = cursorKeySecret
    ? new HmacSigner(await readSecret(secrets(), cursorKeySecret))
    : NO_CURSOR_KEY;
  const ports = awsPorts({ documents, secrets, sfn, cursorSigner, clock: runtimeClock });
  const runOnce = once(() =>
    createIdempotency({ tableName: requiredEnv(ENV.tableName), client: dynamo }),
  );
  const callbackAuthenticator = once(
    () =>
      new AgentCallbackAuthenticator({
        hosts: ports.hosts,
        nonces: new DynamoNonceRegistry({
          client: documents,
          tableName: requiredEnv(ENV.tableName),
        }),
      }),
  );
  return {
    ports,
    accountRateLimit: configuredAccountRateLimit(),
    get runOnce() {
      return runOnce();
    },
    get callbackAuthenticator() {
      return callbackAuthenticator();
    },
  };
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
