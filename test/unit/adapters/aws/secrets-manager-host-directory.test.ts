import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerHostDirectory } from '../../../../adapters/aws/secrets-manager-host-directory.ts';

const SECRET_ID = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:host-registry';
const SECRET = 'a-host-secret-of-at-least-32-characters';
const CALLBACK_URL = 'https://api.example.test/agent/v1/callbacks';

function registry(hosts: { id: string; region: string }[], callbackUrl = CALLBACK_URL): string {
  return JSON.stringify({
    callbackUrl,
    hosts: hosts.map((host) => ({ ...host, url: `https://${host.id}.test`, secret: SECRET })),
  });
}

describe('SecretsManagerHostDirectory', () => {
  const client = new SecretsManagerClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  });
  const mock = mockClient(client);
  let now: number;
  let directory: SecretsManagerHostDirectory;

  beforeEach(() => {
    mock.reset();
    now = 1_000_000;
    directory = new SecretsManagerHostDirectory({ client, secretId: SECRET_ID, now: () => now });
  });

  it('lists the hosts of a region, without their secrets', async () => {
    mock.on(GetSecretValueCommand).resolves({
      SecretString: registry([
        { id: 'fra1-a', region: 'fra1' },
        { id: 'nyc1-a', region: 'nyc1' },
        { id: 'fra1-b', region: 'fra1' },
      ]),
    });

    const hosts = await directory.hostsIn('fra1');

    expect(hosts).toEqual([
      { id: 'fra1-a', region: 'fra1', url: 'https://fra1-a.test' },
      { id: 'fra1-b', region: 'fra1', url: 'https://fra1-b.test' },
    ]);
    expect(mock.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: SECRET_ID,
    });
  });

  it('gives a host, its secret and the callback URL', async () => {
    mock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: registry([{ id: 'fra1-a', region: 'fra1' }]) });

    expect(await directory.get('fra1-a')).toEqual({
      id: 'fra1-a',
      region: 'fra1',
      url: 'https://fra1-a.test',
    });
    expect(await directory.signingSecret('fra1-a')).toBe(SECRET);
    expect(await directory.callbackUrl()).toBe(CALLBACK_URL);
  });

  it('reads the secret once a minute at most', async () => {
    mock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: registry([{ id: 'fra1-a', region: 'fra1' }]) });
    await directory.hostsIn('fra1');
    now += 59_000;
    await directory.hostsIn('fra1');
    now += 2_000;

    await directory.hostsIn('fra1');

    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads the secret again for a host missing from a copy a few seconds old', async () => {
    mock
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: registry([{ id: 'fra1-a', region: 'fra1' }]) })
      .resolves({
        SecretString: registry([
          { id: 'fra1-a', region: 'fra1' },
          { id: 'fra1-new', region: 'fra1' },
        ]),
      });
    await directory.get('fra1-a');
    now += 6_000;

    const found = await directory.get('fra1-new');

    expect(found?.id).toBe('fra1-new');
    expect(await directory.get('fra1-unknown')).toBeNull();
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a registry with a short secret, naming the field and not the value', async () => {
    mock.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        callbackUrl: CALLBACK_URL,
        hosts: [{ id: 'fra1-a', region: 'fra1', url: 'https://a.test', secret: 'short-secret' }],
      }),
    });

    const listing = directory.hostsIn('fra1');

    await expect(listing).rejects.toThrow(/hosts\.0\.secret/);
    await expect(listing).rejects.not.toThrow(/short-secret/);
  });

  it('has no hosts and no callback URL in the empty registry a deployment starts with', async () => {
    mock.on(GetSecretValueCommand).resolves({ SecretString: '{"callbackUrl":"","hosts":[]}' });

    expect(await directory.hostsIn('fra1')).toEqual([]);
    await expect(directory.callbackUrl()).rejects.toThrow(/callbackUrl/);
  });
});
