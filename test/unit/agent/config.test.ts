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

  it('keeps slices as files by default, and reads the QEMU host settings', () => {
    const qemu = readConfig({
      ...env,
      AGENT_HYPERVISOR: 'qemu',
      AGENT_QEMU_ACCEL: 'tcg',
      AGENT_MEMORY_MB: '2048',
      AGENT_VM_MEMORY_MB: '512',
      AGENT_VMS_ON_EXIT: 'shutdown',
    });

    expect(readConfig(env)).toMatchObject({
      hypervisor: 'file',
      qemu: { accel: 'auto', vmMemoryMb: 256, vmVcpus: 1, vmsOnExit: 'keep' },
    });
    expect(readConfig(env).qemu.guestCacheDir).toBe('/var/lib/agent/guest');
    expect(qemu).toMatchObject({
      hypervisor: 'qemu',
      qemu: { accel: 'tcg', hostMemoryMb: 2048, vmMemoryMb: 512, vmsOnExit: 'shutdown' },
    });
  });

  it('names a bad hypervisor, accelerator or exit behaviour', () => {
    const bad = () =>
      readConfig({
        ...env,
        AGENT_HYPERVISOR: 'xen',
        AGENT_QEMU_ACCEL: 'hvf',
        AGENT_VMS_ON_EXIT: 'pause',
      });

    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/AGENT_HYPERVISOR must be file or qemu/);
    expect(bad).toThrow(/AGENT_QEMU_ACCEL must be auto, kvm or tcg/);
    expect(bad).toThrow(/AGENT_VMS_ON_EXIT must be keep or shutdown/);
  });

  it('refuses an unknown argument', () => {
    expect(() => readConfig(env, ['--colour', 'red'])).toThrow(/unknown argument/);
  });
});
