import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../local/net.ts';
import { findChromium } from '../console-e2e/support/chromium.ts';
import { startNpmStart, stopNpmStart } from './start-local-cloud.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    apiToken: string;
    localDataDir: string;
    /** Where Playwright connects to the one Chromium of the run. */
    browserEndpoint: string;
  }
}

/**
 * One `npm start` (which builds the console when its sources changed) and one Chromium for the
 * whole console suite; each test file opens its own browser context, as its own account.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('the console suite needs Chromium (see vitest.config.ts)');
  const dataDir = mkdtempSync(join(tmpdir(), 'slice-snapshots-console-'));
  const [cloud, browser] = await Promise.all([
    startNpmStart({
      PORT: String(await freePort()),
      SLICE_SNAPSHOTS_DATA_DIR: dataDir,
      SLICE_SNAPSHOTS_HYPERVISOR: 'file',
    }),
    chromium.launchServer({
      executablePath,
      // Containers run as root without user namespaces: Chromium's sandbox cannot start there.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    }),
  ]);
  project.provide('apiUrl', cloud.api);
  project.provide('apiToken', cloud.token);
  project.provide('localDataDir', dataDir);
  project.provide('browserEndpoint', browser.wsEndpoint());
  return async () => {
    await browser.close();
    await stopNpmStart(cloud.child);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
