import { readFile } from 'node:fs/promises';

/**
 * Resolves once the console log (QEMU's chardev `logfile`, which records everything the guest
 * printed whether or not a client was connected) matches `pattern`; rejects after `timeoutMs`
 * with its last lines.
 */
export async function waitForConsoleLog(
  path: string,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await readFile(path, 'utf8').catch(() => '');
    const match = text.match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const tail = text.split('\n').slice(-15).join('\n  ');
  throw new Error(`${path} did not match ${pattern} in ${timeoutMs} ms; last lines:\n  ${tail}`);
}
