import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../local/cloud.ts';
import { freePort } from '../local/net.ts';
import { BENCH_ACCOUNT_RATE_LIMIT } from './local-limits.ts';
import { MiB } from './units.ts';

/**
 * Runs `use` on a local cloud of its own, started as `npm start` starts it in a fresh data
 * directory, quiet, and with the benches' account limit (a bench polls operations every 25 ms, past
 * an account's default rate). Whatever `use` does, nothing is left behind: the cloud is closed, the
 * environment it changed is put back and the data directory is removed.
 */
export async function withBenchCloud<T>(
  name: string,
  options: Partial<Omit<LocalCloudOptions, 'dataDir' | 'apiPort'>>,
  use: (cloud: LocalCloud, dataDir: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const environment = { ...process.env };
  const cloud = await startLocalCloud({
    log: () => undefined,
    accountRateLimit: BENCH_ACCOUNT_RATE_LIMIT,
    ...options,
    dataDir,
    apiPort: await freePort(),
  });
  try {
    return await use(cloud, dataDir);
  } finally {
    await cloud.close();
    process.env = environment;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Writes `bytes` of random data at `offset` of a disk file, as `dd conv=notrunc` would. */
export function writeRandom(path: string, offset: number, bytes: number): void {
  const descriptor = openSync(path, 'r+');
  try {
    for (let done = 0; done < bytes; done += 64 * MiB) {
      const length = Math.min(64 * MiB, bytes - done);
      writeSync(descriptor, randomBytes(length), 0, length, offset + done);
    }
  } finally {
    closeSync(descriptor);
  }
}
