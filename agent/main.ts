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
  let stopping = false;
  // A second signal while stopping (Ctrl-C reaches the whole process group, then its parent
  // asks again) must not cut short a host shutdown that is powering VMs off.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    agent.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
