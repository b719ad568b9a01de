import { startAgent } from './agent.ts';
import { ConfigError, readConfig } from './config.ts';

/**
 * The host agent's entry: `node agent/main.ts [--host-id h --data-dir d ...]`, configured by the
 * AGENT_* variables of agent/config.ts. Prints one JSON line `agent listening` with its URL.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`agent: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const agent = await startAgent(config);
  const stop = () => {
    agent.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
