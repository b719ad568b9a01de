import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../infra/bundle-functions.ts';
import { PROJECT_ROOT } from './support/synth.ts';

describe('bundleFunctions', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'slice-snapshots-bundles-'));
  let directories: ReadonlyMap<string, string>;

  beforeAll(() => {
    directories = bundleFunctions(
      [
        { name: 'probe', entry: 'test/infra/fixtures/probe-handler.ts', access: {} },
        { name: 'sdk-user', entry: 'test/infra/fixtures/sdk-handler.ts', access: {} },
      ],
      { projectRoot: PROJECT_ROOT, outdir },
    );
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes each function to <outdir>/<name>/index.mjs', () => {
    expect(directories.get('probe')).toBe(path.join(outdir, 'probe'));
    expect(statSync(path.join(outdir, 'probe', 'index.mjs')).isFile()).toBe(true);
    expect(statSync(path.join(outdir, 'sdk-user', 'index.mjs')).isFile()).toBe(true);
  });

  it('produces an ES module whose handler runs', async () => {
    const bundle = pathToFileURL(path.join(outdir, 'probe', 'index.mjs')).href;

    const module = (await import(bundle)) as { handler: (event: unknown) => Promise<unknown> };

    await expect(module.handler({ ping: 1 })).resolves.toEqual({ received: { ping: 1 } });
  });

  it('leaves the AWS SDK to the runtime', () => {
    const code = readFileSync(path.join(outdir, 'sdk-user', 'index.mjs'), 'utf8');

    expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(code.length).toBeLessThan(10_000);
  });
});
