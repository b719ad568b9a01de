import { resolve } from 'node:path';
import { CONSOLE_DIST, type EnsuredBuild, ensureConsoleBuilt } from '../console/build.ts';
import { type LocalHypervisor, startLocalCloud } from './cloud.ts';
import { fileLogger, keepOutputOffTerminal, localCloudLogPath } from './log-files.ts';

const DEFAULT_API_PORT = 3000;
const DEFAULT_ACCOUNT = 'acct-local';

const HYPERVISORS = ['auto', 'file', 'qemu'] as const;
type HypervisorSetting = (typeof HYPERVISORS)[number];

/** `--hypervisor file|qemu|auto` (or SLICE_SNAPSHOTS_HYPERVISOR); default auto. */
function hypervisorSetting(argv: readonly string[]): HypervisorSetting {
  const at = argv.findIndex((arg) => arg === '--hypervisor' || arg.startsWith('--hypervisor='));
  const value =
    at < 0
      ? (process.env.SLICE_SNAPSHOTS_HYPERVISOR ?? 'auto')
      : (argv[at]?.split('=')[1] ?? argv[at + 1] ?? '');
  if (!(HYPERVISORS as readonly string[]).includes(value)) {
    process.stderr.write(`npm start: --hypervisor must be one of ${HYPERVISORS.join(', ')}\n`);
    process.exit(2);
  }
  return value as HypervisorSetting;
}

function hypervisorLine(hypervisor: LocalHypervisor): string {
  if (hypervisor.kind === 'qemu') return `Hypervisor: qemu (${hypervisor.accel}): slices are VMs`;
  const how = hypervisor.install
    ? `for QEMU virtual machines: ${hypervisor.install}`
    : 'QEMU is installed: npm start -- --hypervisor qemu';
  return `Hypervisor: file (sparse files and a power flag; ${how})`;
}

/**
 * `npm start`: the whole backend on this machine. Settings: PORT (API port, default 3000),
 * SLICE_SNAPSHOTS_DATA_DIR (state, default .data), LOCAL_ACCOUNT (the printed token's account),
 * `--hypervisor auto|file|qemu` (QEMU VMs where QEMU is installed, by default).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const hypervisor = hypervisorSetting(process.argv.slice(2));
  const apiPort = Number(process.env.PORT ?? DEFAULT_API_PORT);
  const dataDir = process.env.SLICE_SNAPSHOTS_DATA_DIR ?? '.data';
  const account = process.env.LOCAL_ACCOUNT ?? DEFAULT_ACCOUNT;
  // The banner is the first thing on the terminal: everything else goes to the log file it names.
  const logPath = localCloudLogPath(resolve(dataDir));
  const logFile = fileLogger(logPath);
  const { log } = logFile;
  const terminal = keepOutputOffTerminal(log);

  // Built (a few seconds, only when its sources changed) while the emulators start.
  const consoleBuild = ensureConsoleBuilt().then(
    (outcome): EnsuredBuild | Error => outcome,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  try {
    cloud = await startLocalCloud({
      dataDir,
      apiPort,
      log,
      hypervisor,
      console: { directory: CONSOLE_DIST, defaultAccount: account },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`npm start failed: ${error instanceof Error ? error.stack : message}`);
    terminal.err(`npm start failed: ${message}\n(details in ${logPath})\n`);
    await logFile.close();
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    terminal.err(`${signal}: stopping the local cloud…\n`);
    await cloud.close();
    await logFile.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const built = await consoleBuild;
  if (built instanceof Error) log(`console build failed: ${built.stack ?? built.message}`);
  else if (built.built) log(`console built in ${built.seconds.toFixed(1)} s`);
  const consoleLine =
    built instanceof Error
      ? `Console: not built (${built.message}; details in ${logPath})`
      : `Console: ${cloud.endpoints.api}/ (sign in as ${account}, or any account)`;
  const token = await cloud.mintToken(account);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  terminal.out(
    [
      `slice-snapshots local cloud ready in ${seconds} s (state in ${cloud.endpoints.dataDir})`,
      `API:     ${cloud.endpoints.api}`,
      `Account: ${account}`,
      `Token:   ${token}`,
      consoleLine,
      hypervisorLine(cloud.endpoints.hypervisor),
      ...(cloud.clock.offsetMs === 0
        ? []
        : [
            `Clock:   ${cloud.clock.now().toISOString()}, moved ahead of this machine's by ` +
              `${(cloud.clock.offsetMs / 1000).toFixed(0)} s (npm run local -- clock)`,
          ]),
      '',
      `DynamoDB:       ${cloud.endpoints.dynamodb}`,
      `S3:             ${cloud.endpoints.s3}`,
      `Step Functions: ${cloud.endpoints.stepfunctions}`,
      `EventBridge:    ${cloud.endpoints.eventbridge}`,
      `Logs:           ${logPath} (emulators beside it; each agent in its data directory)`,
      ...Object.entries(cloud.endpoints.agents).map(
        ([hostId, agent]) => `Host agent:     ${hostId} (${agent.region}) ${agent.url}`,
      ),
      '',
      `Try:     curl -H "Authorization: Bearer $TOKEN" ${cloud.endpoints.api}/v1/regions`,
      'Tokens for other accounts: npm run local -- token --account <id>',
      "A slice's disk file: npm run local -- disk-path <sliceId>",
      ...(cloud.endpoints.hypervisor.kind === 'qemu'
        ? ["A slice's serial console: npm run local -- console <sliceId> [--follow]"]
        : []),
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

await main();
