import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../local/net.ts';
import { startNpmStart, stopNpmStart } from './start-local-cloud.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    apiToken: string;
    localDataDir: string;
  }
}

/** One `npm start` for the whole end-to-end run, driven over HTTP like a user would. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'slice-snapshots-e2e-'));
  const cloud = await startNpmStart({
    PORT: String(await freePort()),
    SLICE_SNAPSHOTS_DATA_DIR: dataDir,
    // These tests write into disk files as a guest would: the file driver's world. The QEMU
    // suite starts its own local cloud with real VMs.
    SLICE_SNAPSHOTS_HYPERVISOR: 'file',
  });
  project.provide('apiUrl', cloud.api);
  project.provide('apiToken', cloud.token);
  project.provide('localDataDir', dataDir);
  return async () => {
    await stopNpmStart(cloud.child);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
