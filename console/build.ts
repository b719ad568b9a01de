import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

const CONSOLE_ROOT = import.meta.dirname;
const PROJECT_ROOT = join(CONSOLE_ROOT, '..');

/** Where the built console lives: what `npm start` serves and the console stack deploys. */
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
/** Written beside the build: the fingerprint of the sources it was built from. */
export const BUILD_STAMP = 'build-stamp.json';

/** What a build of the console reads: its sources, the domain code it imports, the lockfile. */
const INPUTS = [
  'console/index.html',
  'console/vite.config.ts',
  'console/src',
  'core',
  'package-lock.json',
];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/** A hash of every input of the build: the same sources give the same fingerprint. */
export function consoleFingerprint(projectRoot = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of filesUnder(join(projectRoot, input))) {
      hash.update(relative(projectRoot, file));
      hash.update('\0');
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

function builtFingerprint(directory: string): string | undefined {
  try {
    const stamp = JSON.parse(readFileSync(join(directory, BUILD_STAMP), 'utf8')) as {
      fingerprint?: string;
    };
    return stamp.fingerprint;
  } catch {
    return undefined;
  }
}

/** Builds the console with Vite into `outDir` (emptied first), and stamps it with `fingerprint`. */
export async function buildConsole(
  outDir: string,
  fingerprint = consoleFingerprint(),
): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: join(CONSOLE_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  writeFileSync(join(outDir, BUILD_STAMP), `${JSON.stringify({ fingerprint })}\n`);
}

/** Renames `directory` to `aside`, unless another process has moved it already. */
function moveAside(directory: string, aside: string): void {
  try {
    renameSync(directory, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export interface EnsuredBuild {
  readonly directory: string;
  /** False when the build on disk was already of these sources. */
  readonly built: boolean;
  readonly seconds: number;
}

/**
 * The console built from the current sources, in `console/dist`: built (a few seconds) only when
 * missing or stale. A new build is written beside the old and swapped in by renames, so that
 * another process serving the old one never sees a half-written directory.
 */
export async function ensureConsoleBuilt(directory = CONSOLE_DIST): Promise<EnsuredBuild> {
  const started = Date.now();
  const fingerprint = consoleFingerprint();
  if (builtFingerprint(directory) === fingerprint) {
    return { directory, built: false, seconds: (Date.now() - started) / 1000 };
  }
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const fresh = `${directory}.new-${suffix}`;
  const stale = `${directory}.old-${suffix}`;
  try {
    await buildConsole(fresh, fingerprint);
    moveAside(directory, stale);
    try {
      renameSync(fresh, directory);
    } catch (error) {
      // Another process built the same sources and swapped its build in first: that one serves.
      if (builtFingerprint(directory) !== fingerprint) throw error;
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(stale, { recursive: true, force: true });
  }
  return { directory, built: true, seconds: (Date.now() - started) / 1000 };
}

if (process.argv[1] === import.meta.filename) {
  const outcome = await ensureConsoleBuilt();
  process.stdout.write(
    outcome.built
      ? `console built in ${outcome.seconds.toFixed(1)} s: ${outcome.directory}\n`
      : `console up to date: ${outcome.directory}\n`,
  );
}
