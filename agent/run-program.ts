import { spawn } from 'node:child_process';

/** How a program's run ended: its exit code and what it wrote. */
export interface ProgramRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `binary` with `args` to its end. Rejects only when it cannot start (ENOENT when it is not
 * installed); a non-zero exit is the caller's to judge.
 */
export function runProgram(binary: string, args: readonly string[]): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
  });
}

/** What `binary` wrote to stdout; rejects, with its stderr, when it exits non-zero. */
export async function programOutput(binary: string, args: readonly string[]): Promise<string> {
  const run = await runProgram(binary, args);
  if (run.code !== 0) throw new Error(`${binary} exited with ${run.code}: ${run.stderr.trim()}`);
  return run.stdout;
}
