import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import { buildApp, REAL_CATALOG, scratchApp } from './support/synth.ts';

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly severity: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

/** The findings of one synthesis, as `rule at construct path` lines. */
function findings(outdir: string, severity: string): string[] {
  const report = JSON.parse(
    readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations
      .filter((violation) => violation.severity === severity)
      .flatMap((violation) =>
        violation.violatingConstructs.map(
          (construct) => `${violation.ruleName} at ${construct.constructPath}`,
        ),
      ),
  );
}

/** Synthesizes, answering the error a failed check throws instead of throwing it. */
function synthesize(built: ReturnType<typeof buildApp>): unknown {
  try {
    built.app.synth();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('synthesis checks', () => {
  let real: ReturnType<typeof buildApp>;
  let probe: ReturnType<typeof buildApp>;
  let realFailure: unknown;
  let probeFailure: unknown;

  beforeAll(() => {
    // As `cdk synth` runs it: CloudFormation's own template checks included.
    real = buildApp(REAL_CATALOG, { nag: true, cloudFormationValidation: true });
    probe = buildApp(PROBE_CATALOG, { nag: true });
    realFailure = synthesize(real);
    probeFailure = synthesize(probe);
  });
  afterAll(() => {
    real?.dispose();
    probe?.dispose();
  });

  it('find no unacknowledged error in the app', () => {
    expect(findings(real.app.outdir, 'error')).toEqual([]);
    expect(realFailure).toBeUndefined();
  });

  it('find no unacknowledged error with every kind of access, workflow and schedule', () => {
    expect(findings(probe.app.outdir, 'error')).toEqual([]);
    expect(probeFailure).toBeUndefined();
  });

  it('find no warning either, CloudFormation template checks included', () => {
    expect(findings(real.app.outdir, 'warning')).toEqual([]);
    expect(findings(probe.app.outdir, 'warning')).toEqual([]);
  });

  it('fail the synthesis of a resource that breaks a rule', () => {
    const { app, dispose } = scratchApp();
    onTestFinished(dispose);
    const stack = new Stack(app, 'Careless');
    new s3.Bucket(stack, 'OpenBucket', { enforceSSL: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    expect(findings(app.outdir, 'error')).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 at Careless/OpenBucket/Resource',
        'AwsSolutions-S10 at Careless/OpenBucket/Resource',
      ]),
    );
  });
});
