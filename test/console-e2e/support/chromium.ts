import { existsSync } from 'node:fs';

/** What to install for the console's browser suite, on Debian (Playwright cannot download here). */
export const CHROMIUM_INSTALL = 'apt-get install -y chromium';

/**
 * The Chromium the console suite drives through Playwright: `CHROMIUM_PATH` when set, else
 * Debian's package. Undefined when none is installed.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}
