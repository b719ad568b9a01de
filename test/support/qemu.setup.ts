import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { LOCAL_IMAGES_BUCKET } from '../../adapters/aws/table-design.ts';
import { endpointsFile, type LocalEndpoints } from '../../local/cloud.ts';
import { freePort } from '../../local/net.ts';
import { startNpmStart, stopNpmStart } from './start-local-cloud.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    apiToken: string;
    localDataDir: string;
    s3Endpoint: string;
    imagesBucket: string;
    /** Where the local cloud's agents built the demo guest; drivers under test reuse it. */
    guestCacheDir: string;
  }
}

/**
 * One `npm start -- --hypervisor qemu` for the QEMU suite: slices are real VMs. Its s3rver and its
 * demo guest also serve the tests that drive the QEMU driver directly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'slice-snapshots-qemu-'));
  const cloud = await startNpmStart(
    {
      PORT: String(await freePort()),
      SLICE_SNAPSHOTS_DATA_DIR: dataDir,
      SLICE_SNAPSHOTS_HYPERVISOR: 'qemu',
    },
    240_000,
  );
  const endpoints = JSON.parse(readFileSync(endpointsFile(dataDir), 'utf8')) as LocalEndpoints;
  project.provide('apiUrl', cloud.api);
  project.provide('apiToken', cloud.token);
  project.provide('localDataDir', dataDir);
  project.provide('s3Endpoint', endpoints.s3);
  project.provide('imagesBucket', LOCAL_IMAGES_BUCKET);
  project.provide('guestCacheDir', join(dataDir, 'guest'));
  return async () => {
    await stopNpmStart(cloud.child, 60_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
