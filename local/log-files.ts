import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Where the local cloud's own log lines go: `<dataDir>/logs/local-cloud.log`. */
export function localCloudLogPath(dataDir: string): string {
  return join(dataDir, 'logs', 'local-cloud.log');
}

/** The log file of one emulator process (`dynamodb`, `s3`), beside the local cloud's. */
export function emulatorLogPath(dataDir: string, emulator: string): string {
  return join(dataDir, 'logs', `${emulator}.log`);
}

/** An append-only log file, its directory made on open. */
export function openLogFile(path: string): WriteStream {
  mkdirSync(join(path, '..'), { recursive: true });
  return createWriteStream(path, { flags: 'a' });
}

/** Copies what a child process prints into a log file, closed when the child exits. */
export function logChildOutput(
  child: {
    stdout: Readable | null;
    stderr: Readable | null;
    once(event: 'exit', listener: () => void): unknown;
  },
  path: string,
): void {
  const file = openLogFile(path);
  child.stdout?.pipe(file, { end: false });
  child.stderr?.pipe(file, { end: false });
  child.once('exit', () => file.end());
}

/** A line logger writing timestamped lines to `path`. */
export function fileLogger(path: string): { log(line: string): void; close(): Promise<void> } {
  const file = openLogFile(path);
  return {
    log: (line) => {
      file.write(`${new Date().toISOString()} ${line}\n`);
    },
    close: () => new Promise((resolve) => file.end(() => resolve())),
  };
}

/**
 * Sends everything this process writes to stdout and stderr (handlers' structured logs, warnings,
 * emulators' messages) to `log` instead of the terminal, and answers a writer that still reaches
 * the terminal: for the banner and what the user must see.
 */
export function keepOutputOffTerminal(log: (line: string) => void): {
  out: (text: string) => void;
  err: (text: string) => void;
} {
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const divert = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    for (const line of text.split('\n')) if (line.length > 0) log(line);
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  process.stdout.write = divert as typeof process.stdout.write;
  process.stderr.write = divert as typeof process.stderr.write;
  return { out: (text) => void stdout(text), err: (text) => void stderr(text) };
}
