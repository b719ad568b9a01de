import { resolve } from 'node:path';
import { startLocalCloud } from './cloud.ts';
import { fileLogger, keepOutputOffTerminal, localCloudLogPath } from './log-files.ts';

const DEFAULT_API_PORT = 3000;
const DEFAULT_ACCOUNT = 'acct-local';

/**
 * `npm start`: the whole backend on this machine. Settings: PORT (API port, default 3000),
 * SLICE_SNAPSHOTS_DATA_DIR (state, default .data), LOCAL_ACCOUNT (the printed token's account).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const apiPort = Number(process.env.PORT ?? DEFAULT_API_PORT);
  const dataDir = process.env.SLICE_SNAPSHOTS_DATA_DIR ?? '.data';
  const account = process.env.LOCAL_ACCOUNT ?? DEFAULT_ACCOUNT;
  // The banner is the first thing on the terminal: everything else goes to the log file it names.
  const logPath = localCloudLogPath(resolve(dataDir));
  const logFile = fileLogger(logPath);
  const { log } = logFile;
  const terminal = keepOutputOffTerminal(log);

  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  try {
    cloud = await startLocalCloud({ dataDir, apiPort, log });
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

  const token = await cloud.mintToken(account);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  terminal.out(
    [
      `slice-snapshots local cloud ready in ${seconds} s (state in ${cloud.endpoints.dataDir})`,
      `API:     ${cloud.endpoints.api}`,
      `Account: ${account}`,
      `Token:   ${token}`,
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
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

await main();
