import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { listen } from '../net.ts';

/** The secrets a local cloud holds, by name; values are strings as in Secrets Manager. */
export type SecretValues = Record<string, string>;

export interface LocalSecrets {
  url: string;
  /** The ARN under which `name` is served (what a handler's env variable names). */
  arnOf(name: string): string;
  /** Sets `name` to `value` (PutSecretValue, as an operator would), kept across restarts. */
  put(name: string, value: string): void;
  close(): Promise<void>;
}

function loadSecrets(file: string): SecretValues {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SecretValues) : {};
}

/** A random secret value, as Secrets Manager's GenerateSecretString would make one. */
export function generateSecretValue(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A thin Secrets Manager endpoint (GetSecretValue and DescribeSecret over the AWS JSON 1.1
 * protocol), so handlers read their secrets through the unmodified SDK client. Secrets persist in
 * `file`; `ensure` adds the ones missing, keeping existing values across restarts.
 */
export async function startSecrets(options: {
  port: number;
  file: string;
  region: string;
  accountId: string;
  ensure: Record<string, () => string>;
}): Promise<LocalSecrets> {
  const secrets = loadSecrets(options.file);
  for (const [name, make] of Object.entries(options.ensure)) secrets[name] ??= make();
  const save = () => {
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileSync(options.file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  };
  save();

  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${options.region}:${options.accountId}:secret:${name}`;
  const nameOf = (secretId: string) =>
    secretId.replace(/^arn:aws:secretsmanager:[^:]*:[^:]*:secret:/, '');

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const action = String(request.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    let input: { SecretId?: string };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
    } catch {
      reply(400, { __type: 'InvalidRequestException', message: 'body is not JSON' });
      return;
    }
    const name = nameOf(input.SecretId ?? '');
    const value = secrets[name];
    if (action !== 'GetSecretValue' && action !== 'DescribeSecret') {
      reply(400, {
        __type: 'UnknownOperationException',
        message: `${action} is not served locally`,
      });
    } else if (value === undefined) {
      reply(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    } else if (action === 'DescribeSecret') {
      reply(200, { ARN: arnOf(name), Name: name });
    } else {
      reply(200, {
        ARN: arnOf(name),
        Name: name,
        SecretString: value,
        VersionId: 'local',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      });
    }
  });
  const listening = await listen(server, options.port);
  return {
    ...listening,
    arnOf,
    put: (name, value) => {
      secrets[name] = value;
      save();
    },
  };
}
