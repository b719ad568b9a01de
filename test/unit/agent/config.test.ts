import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../agent/config.ts';

const env = {
  AGENT_HOST_ID: 'host-a',
  AGENT_SECRET: 's'.repeat(32),
  AGENT_DATA_DIR: '/var/lib/agent',
  AGENT_S3_BUCKET: 'images',
};

describe('readConfig', () => {
  it('refuses to start without a secret', () => {
    const { AGENT_SECRET: _secret, ...withoutSecret } = env;

    expect(() => readConfig(withoutSecret)).toThrow(ConfigError);
    expect(() => readConfig(withoutSecret)).toThrow(/AGENT_SECRET is required/);
  });

  it('refuses a secret too short to be a 256-bit key', () => {
    expect(() => readConfig({ ...env, AGENT_SECRET: 'short' })).toThrow(/AGENT_SECRET/);
  });

  it('names every problem at once', () => {
    expect(() => readConfig({ AGENT_SECRET: env.AGENT_SECRET, AGENT_PORT: 'x' })).toThrow(
      /AGENT_HOST_ID is required.*AGENT_PORT must be.*AGENT_DATA_DIR is required.*AGENT_S3_BUCKET is required/,
    );
  });

  it('lets arguments override the environment', () => {
    const config = readConfig(env, [
      '--port',
      '8123',
      '--data-dir=/tmp/agent',
      '--s3-endpoint',
      'http://127.0.0.1:9',
    ]);

    expect(config.port).toBe(8123);
    expect(config.dataDir).toBe('/tmp/agent');
    expect(config.store.endpoint).toBe('http://127.0.0.1:9');
    expect(config.hashAlgorithm).toBe('blake3');
  });

  it('compresses adaptively unless told otherwise, and refuses an unknown mode', () => {
    expect(readConfig(env).compression).toBe('adaptive');
    expect(readConfig({ ...env, AGENT_COMPRESSION: 'always' }).compression).toBe('always');
    expect(() => readConfig({ ...env, AGENT_COMPRESSION: 'sometimes' })).toThrow(
      /AGENT_COMPRESSION/,
    );
  });

  it('refuses an unknown argument', () => {
    expect(() => readConfig(env, ['--colour', 'red'])).toThrow(/unknown argument/);
  });
});
