import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, type AppProps, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll } from 'vitest';
import { FUNCTIONS, RULES, SCHEDULES, WORKFLOWS } from '../../../infra/catalog.ts';
import type { CatalogLists } from '../../../infra/placement.ts';
import {
  createSliceSnapshotsApp,
  type SliceSnapshotsApp,
} from '../../../infra/slice-snapshots-app.ts';
import { readThrough } from '../../support/read-through.ts';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');

/** A stand-in for the built console: the console stack deploys a directory, whatever it holds. */
export const CONSOLE_FIXTURE = path.join(PROJECT_ROOT, 'test', 'infra', 'fixtures', 'console-dist');

export const REAL_CATALOG: CatalogLists = {
  functions: FUNCTIONS,
  workflows: WORKFLOWS,
  schedules: SCHEDULES,
  rules: RULES,
};

/**
 * Builds the app from a catalog into a temporary assembly directory; `dispose` removes it. The
 * synthesis-time checks (cdk-nag, CloudFormation validation) are off unless asked for: they cost
 * seconds, and the tests that are about them turn them on.
 */
export function buildApp(
  catalog: CatalogLists,
  options: { nag?: boolean; cloudFormationValidation?: boolean } = {},
): SliceSnapshotsApp & { dispose: () => void } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'slice-snapshots-infra-'));
  const built = createSliceSnapshotsApp({
    catalog,
    projectRoot: PROJECT_ROOT,
    outdir,
    nag: options.nag ?? false,
    cloudFormationValidation: options.cloudFormationValidation ?? false,
    consoleAssets: CONSOLE_FIXTURE,
  });
  return { ...built, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/**
 * The app built from a catalog once for the tests of the enclosing describe block: built in a
 * `beforeAll`, its assembly directory removed in an `afterAll`. Read it inside tests and hooks.
 */
export function appForDescribe(
  catalog: CatalogLists,
  options: Parameters<typeof buildApp>[1] = {},
): ReturnType<typeof buildApp> {
  return onceForDescribe(
    () => buildApp(catalog, options),
    (built) => built.dispose(),
  );
}

/**
 * The template of the stack `stackOf` picks, synthesized once for the tests of the enclosing
 * describe block. Call it after `appForDescribe`, whose app must be built first.
 */
export function templateForDescribe(stackOf: () => Stack): Template {
  return onceForDescribe(() => Template.fromStack(stackOf()));
}

/**
 * Stands for what `make` builds in a `beforeAll` (synthesis is too slow to repeat per test) and
 * `dispose` releases in an `afterAll`: its fields and methods are read through to the built value.
 */
function onceForDescribe<T extends object>(make: () => T, dispose?: (built: T) => void): T {
  let built: T | undefined;
  beforeAll(() => {
    built = make();
  });
  afterAll(() => {
    if (built !== undefined) dispose?.(built);
    built = undefined;
  });
  return readThrough(() => built, 'read outside the tests of its describe block');
}

/** A bare app in a temporary assembly directory, for stacks tested on their own. */
export function scratchApp(props: AppProps = {}): { app: App; dispose: () => void } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'slice-snapshots-infra-'));
  const app = new App({ ...props, outdir });
  return { app, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

export interface StatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

interface TemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

/** What a role may do: its inline statements and the data access policies it attaches. */
export interface RoleAccess {
  /** Logical IDs, in the data stack, of the managed policies the role attaches. */
  readonly managedPolicies: string[];
  /** Inline and attached statements together. */
  readonly statements: StatementJson[];
  readonly actions: string[];
}

/** Reads a role's whole access from the templates, following its imports into the data stack. */
export function accessOfRole(built: SliceSnapshotsApp, stack: Stack, role: iam.IRole): RoleAccess {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const template = Template.fromStack(stack);
  const inline = Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as StatementJson[]);

  const data = Template.fromStack(built.data).toJSON() as TemplateJson;
  const roleJson = (template.toJSON() as TemplateJson).Resources[roleId];
  const arns = (roleJson?.Properties?.ManagedPolicyArns ?? []) as unknown[];
  const managedPolicies = arns.map((arn) => {
    const value = importedFromData(built, arn) as { Ref: string } | undefined;
    if (value === undefined)
      throw new Error(`role ${roleId} attaches a policy from outside the data stack`);
    return value.Ref;
  });
  const attached = managedPolicies.flatMap((policyId) => {
    const document = data.Resources[policyId]?.Properties?.PolicyDocument as
      | { Statement: StatementJson[] }
      | undefined;
    return document?.Statement ?? [];
  });

  const statements = [...inline, ...attached];
  const actions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action));
  return { managedPolicies, statements, actions };
}

/**
 * The data stack's value behind a cross-stack reference (`Fn::ImportValue` of one of its exports),
 * as the data template writes it (e.g. `{ Ref: <logical id> }`); undefined for anything else.
 */
export function importedFromData(built: SliceSnapshotsApp, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('Fn::ImportValue' in value)) {
    return undefined;
  }
  const data = Template.fromStack(built.data).toJSON() as TemplateJson;
  const output = Object.values(data.Outputs ?? {}).find(
    (candidate) => candidate.Export?.Name === value['Fn::ImportValue'],
  );
  return output?.Value;
}

/** The statements of a role's access that allow one action. */
export function statementsAllowing(access: RoleAccess, action: string): StatementJson[] {
  return access.statements.filter((statement) =>
    ([] as string[]).concat(statement.Action).includes(action),
  );
}

/**
 * Renders a CloudFormation value as a string with `<Ref>` / `<Id.Attr>` where tokens were, so
 * a test can read a joined value (an ARN, a JSON document) as the text it becomes.
 */
export function renderCfnString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    if ('Ref' in value) return `<${String(value.Ref)}>`;
    if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) {
      return `<${value['Fn::GetAtt'].join('.')}>`;
    }
    if ('Fn::ImportValue' in value) return `<Import:${renderCfnString(value['Fn::ImportValue'])}>`;
    if ('Fn::Join' in value && Array.isArray(value['Fn::Join'])) {
      const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(renderCfnString).join(separator);
    }
  }
  throw new Error(`Cannot render ${JSON.stringify(value)}`);
}

/** A resource policy statement that denies every request made without TLS, with `more` beside. */
export function denyWithoutTls(more: Record<string, unknown> = {}) {
  return Match.objectLike({
    Effect: 'Deny',
    ...more,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}

/** The properties of the function named `name` with at least `variables` in its environment. */
export function functionWithVariables(name: string, variables: Record<string, unknown>) {
  return {
    Description: Match.stringLikeRegexp(`^${name} `),
    Environment: { Variables: Match.objectLike(variables) },
  };
}
