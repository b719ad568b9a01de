import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { FunctionSpec } from './catalog.ts';

export interface BundleOptions {
  /** Directory the specs' `entry` paths are relative to (the project root). */
  readonly projectRoot: string;
  /** Bundles land in `<outdir>/<function name>/index.mjs`. */
  readonly outdir: string;
}

/**
 * Bundles every function in ONE esbuild pass and answers each function's bundle directory, ready
 * for `Code.fromAsset`. One pass instead of a bundling step per function keeps `cdk synth` offline,
 * Docker-free and a few seconds long however many functions the catalog grows to.
 */
export function bundleFunctions(
  functions: readonly FunctionSpec[],
  options: BundleOptions,
): ReadonlyMap<string, string> {
  const directories = new Map(
    functions.map((spec) => [spec.name, path.join(options.outdir, spec.name)]),
  );
  if (functions.length === 0) return directories;
  // A stale file left in a directory would end up in the asset (and in its hash).
  for (const directory of directories.values()) rmSync(directory, { recursive: true, force: true });

  buildSync({
    absWorkingDir: options.projectRoot,
    entryPoints: functions.map((spec) => ({ in: spec.entry, out: `${spec.name}/index` })),
    outdir: options.outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Each entry is bundled on its own: shared chunks would tie the functions' assets together.
    splitting: false,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    // The nodejs24.x runtime ships AWS SDK v3, so the SDK stays out of the bundles: bundles stay
    // a few hundred KB smaller each (faster to upload, synth and cold-load) and the handlers use
    // the runtime's SDK. The handlers only use long-stable SDK calls, so the runtime's version
    // being a little behind the one pinned in package.json changes nothing they rely on.
    external: ['@aws-sdk/*'],
    // Bundled CommonJS dependencies may `require` Node built-ins, which ESM lacks.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return directories;
}
