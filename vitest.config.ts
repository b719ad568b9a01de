import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM_INSTALL, findChromium } from './test/console-e2e/support/chromium.ts';
import { qemuAvailability } from './test/qemu/support/guest-console.ts';

/**
 * A suite that needs a system package: where it is missing (`missing` says what, and what to
 * install) the suite is left out, loudly; with `<requireEnv>=1` (CI) that is an error instead.
 */
function projectNeeding(
  requireEnv: string,
  missing: string | null,
  project: TestProjectInlineConfiguration,
): TestProjectInlineConfiguration[] {
  if (missing === null) return [project];
  if (process.env[requireEnv] === '1') throw new Error(`${requireEnv}=1 but ${missing}`);
  process.stderr.write(`\n*** SKIPPED ${missing}\n\n`);
  return [];
}

/** The QEMU suite boots real virtual machines. */
async function qemuProject(): Promise<TestProjectInlineConfiguration[]> {
  const qemu = await qemuAvailability();
  return projectNeeding(
    'REQUIRE_QEMU',
    qemu.ok ? null : `the QEMU suite (test/qemu) needs ${qemu.missing.join(', ')}: ${qemu.install}`,
    {
      test: {
        name: 'qemu',
        include: ['test/qemu/**/*.test.ts'],
        globalSetup: ['test/support/qemu.setup.ts'],
        // One VM-heavy file at a time: two cores run TCG guests and the pipeline.
        fileParallelism: false,
        testTimeout: 180_000,
        hookTimeout: 180_000,
      },
    },
  );
}

/** The console's browser suite drives Chromium. */
function consoleBrowserProject(): TestProjectInlineConfiguration[] {
  return projectNeeding(
    'REQUIRE_CHROMIUM',
    findChromium()
      ? null
      : `the console's browser suite (test/console-e2e) needs Chromium: ${CHROMIUM_INSTALL}`,
    {
      test: {
        name: 'console-e2e',
        include: ['test/console-e2e/**/*.test.ts'],
        globalSetup: ['test/support/console.setup.ts'],
        // Each file is one user in the one browser, mostly waiting on workflows: they run side
        // by side even on two cores. A project with its own number of workers runs in a group of
        // its own, after the others.
        maxWorkers: 4,
        sequence: { groupOrder: 1 },
        // A snapshot, a restore and a new slice run whole workflows: generous on a busy machine.
        testTimeout: 180_000,
        hookTimeout: 180_000,
      },
    },
  );
}

/**
 * Test projects of STYLE.md. Emulators start once per run in a project's global setup,
 * never per test file, so the whole suite stays fast.
 */
export default defineConfig(async () => ({
  test: {
    pool: 'forks',
    // Most files wait on workflows and emulators rather than compute: two at a time even on two
    // cores (the default there is one). The fault and QEMU projects, which run one file at a time,
    // run after the others, alone.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/contract/**/*.test.ts', 'test/integration/**/*.test.ts'],
          globalSetup: ['test/support/emulators.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'console',
          include: ['test/console/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/console/support/setup.ts'],
          // Rendering Cloudscape in a simulated DOM takes seconds on a busy two-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/local-cloud.setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          // Each file starts, kills (SIGKILL) and starts again its own npm start: one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      ...consoleBrowserProject(),
      ...(await qemuProject()),
    ],
  },
}));
