import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../local/lambdas.ts';

export interface StartedCloud {
  child: ChildProcess;
  api: string;
  token: string;
  output: () => string;
}

/**
 * Runs `npm start` as a user would, in its own process group, and resolves once it prints the API
 * address and token.
 */
export async function startNpmStart(
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<StartedCloud> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ready = await new Promise<{ api: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready:\n${output}`)), timeoutMs);
    const check = () => {
      const api = /^API:\s+(\S+)/m.exec(output)?.[1];
      const token = /^Token:\s+(\S+)/m.exec(output)?.[1];
      if (api && token) {
        clearTimeout(timer);
        resolve({ api, token });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, ...ready, output: () => output };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Sends SIGTERM to the whole process group, as Ctrl-C reaches every process of a terminal's
 * foreground job, and resolves how npm ended (npm re-raises the signal on itself after its script).
 */
export async function stopNpmStart(child: ChildProcess, graceMs = 20_000): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  process.kill(-(child.pid as number), 'SIGTERM');
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), graceMs);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}
