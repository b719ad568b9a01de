import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { localImagesBucketOf } from '../../blueprint/facts.ts';
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
  // The bucket of fra1, which npm start makes with the other regions' buckets.
  project.provide('imagesBucket', localImagesBucketOf('fra1'));
  project.provide('guestCacheDir', join(dataDir, 'guest'));
  return async () => {
    await stopNpmStart(cloud.child, 60_000);
    // npm may exit before its script's children: the agents power their VMs off on the way out.
    await agentsGone(dataDir, 60_000);
    // VMs run in sessions of their own, out of npm start's process group: a stop that left one
    // behind is named, and the VM ended, so a machine running the suite again starts clean.
    const left = vmsUnder(dataDir);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    if (left.length > 0) process.stderr.write(`qemu suite: ${left.length} VM(s) left running\n`);
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/** QEMU processes whose disk lies under `dataDir`. */
function vmsUnder(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`filename=${dataDir}/`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Waits until no agent process of this data directory runs (their environment names it). */
async function agentsGone(dataDir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const running = () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .some((pid) => {
        try {
          return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(
            `AGENT_DATA_DIR=${dataDir}/`,
          );
        } catch {
          return false;
        }
      });
  while (running() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
