import * as path from 'node:path';
import { App, Aws, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_REGIONS } from '../blueprint/facts.ts';
import { EVENT } from '../core/events/event-types.ts';
import { bundleFunctions } from './bundle-functions.ts';
import { RECONCILERS } from './catalog.ts';
import type { OperationsMonitoring } from './constructs/operations-monitoring.ts';
import type { ServedRegion } from './constructs/shared-resources.ts';
import { FEATURE_FLAGS } from './feature-flags.ts';
import { type CatalogLists, placeFunctions } from './placement.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { BillingStack } from './stacks/billing-stack.ts';
import { ConsoleConfigStack } from './stacks/console-config-stack.ts';
import { ConsoleStack } from './stacks/console-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { MonitoringStack } from './stacks/monitoring-stack.ts';
import { WorkflowsStack } from './stacks/workflows-stack.ts';

/** The events' `source` (CONTRACT.md) and the name of the bus users put their rules on. */
export const EVENT_SOURCE = 'slice-snapshots';
/** Prefix of the state machines' fixed names. */
export const WORKFLOW_NAME_PREFIX = 'slice-snapshots';

export interface SliceSnapshotsAppOptions {
  readonly catalog: CatalogLists;
  /** Directory the catalog's entry and ASL paths are relative to. */
  readonly projectRoot: string;
  /** The regions served; default: the `regions` context value (JSON), else DEFAULT_REGIONS. */
  readonly regions?: readonly ServedRegion[];
  /** Cloud assembly directory; the CLI sets it, tests leave it to a temporary directory. */
  readonly outdir?: string;
  /** Run the cdk-nag AWS Solutions checks during synthesis (default true). */
  readonly nag?: boolean;
  /**
   * Run CDK's built-in CloudFormation template validation (default true). It costs seconds per
   * synthesis, so tests that only read templates turn it off.
   */
  readonly cloudFormationValidation?: boolean;
  /** The built web console (`console/dist`), deployed by the console stack. */
  readonly consoleAssets: string;
}

export interface SliceSnapshotsApp {
  readonly app: App;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly workflows: WorkflowsStack;
  readonly monitoring: MonitoringStack;
  /** Absent while the catalog has no schedules. */
  readonly billing: BillingStack | undefined;
  readonly console: ConsoleStack;
  readonly consoleConfig: ConsoleConfigStack;
}

/**
 * Builds the whole deployment from catalog lists: bundles every function in one pass, then the
 * data, monitoring, workflows, console, API, console configuration and billing stacks, every function, the API and the
 * dead-letter queues watched by the monitoring's alarms, checked by cdk-nag at synthesis.
 */
export function createSliceSnapshotsApp(options: SliceSnapshotsAppOptions): SliceSnapshotsApp {
  const app = new App({
    outdir: options.outdir,
    context: { ...FEATURE_FLAGS },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
  });
  const placement = placeFunctions(options.catalog);
  const bundleDirectories = bundleFunctions(options.catalog.functions, {
    projectRoot: options.projectRoot,
    outdir: path.join(app.outdir, 'bundles'),
  });
  const shared = {
    bundleDirectories,
    regions: options.regions ?? regionsFromContext(app.node.tryGetContext('regions')),
    workflowNamePrefix: WORKFLOW_NAME_PREFIX,
  };

  const data = new DataStack(app, 'SliceSnapshotsData', {
    description: 'Slice snapshots: table, images buckets, event bus, host registry',
    eventBusName: EVENT_SOURCE,
    eventSource: EVENT_SOURCE,
    regions: shared.regions,
  });
  const monitoring = new MonitoringStack(app, 'SliceSnapshotsMonitoring', {
    description: 'Slice snapshots: alarm topic, workflow alarms and the operations dashboard',
    workflows: options.catalog.workflows.map((workflow) => workflow.name),
    workflowNamePrefix: WORKFLOW_NAME_PREFIX,
    eventBus: data.resources.eventBus,
    eventSource: EVENT_SOURCE,
    snapshotAvailableDetailType: EVENT.snapshotAvailable,
  });
  const workflows = new WorkflowsStack(app, 'SliceSnapshotsWorkflows', {
    description: 'Slice snapshots: state machines and the functions their tasks invoke',
    ...shared,
    resources: data.resources,
    workflows: options.catalog.workflows,
    rules: options.catalog.rules ?? [],
    functions: placement.workflows,
    projectRoot: options.projectRoot,
  });
  // The hosted UI's domain: a prefix unique in its region (the `consoleDomainPrefix` context
  // value, or one derived from the account), known to both the console and the API stack.
  const hostedUiDomainPrefix =
    (app.node.tryGetContext('consoleDomainPrefix') as string | undefined) ??
    `slice-snapshots-${Aws.ACCOUNT_ID}`;
  const consoleStack = new ConsoleStack(app, 'SliceSnapshotsConsole', {
    description: 'Slice snapshots: the web console (private bucket behind CloudFront)',
    assetsDirectory: options.consoleAssets,
    hostedUiDomainPrefix,
  });
  const api = new ApiStack(app, 'SliceSnapshotsApi', {
    description: 'Slice snapshots: HTTP API, user pool and route functions',
    ...shared,
    resources: data.resources,
    functions: placement.api,
    console: { url: consoleStack.url, hostedUiDomainPrefix },
  });
  // API functions address state machines by name, not by reference (see workflow-arns.ts); this
  // only orders deployments, so a state machine exists before anything may start it.
  api.addStackDependency(workflows, 'API functions start the workflows');
  // Nothing scheduled, no billing stack: an empty stack would only be an empty deployment.
  const billing =
    options.catalog.schedules.length > 0
      ? new BillingStack(app, 'SliceSnapshotsBilling', {
          description: 'Slice snapshots: scheduled work (billing runs, the operations sweep)',
          ...shared,
          resources: data.resources,
          schedules: options.catalog.schedules,
          functions: placement.scheduled,
        })
      : undefined;
  // Schedules address state machines by name too; this only orders deployments, so a state
  // machine exists before its schedule starts it.
  billing?.addStackDependency(workflows, 'Schedules start the workflows');

  const signIn = api.consoleSignIn;
  if (!signIn) throw new Error('the API stack was given the console: it has its sign-in');
  const consoleConfig = new ConsoleConfigStack(app, 'SliceSnapshotsConsoleConfig', {
    description: "Slice snapshots: the web console's config.json (the API's address, sign-in)",
    bucket: consoleStack.bucket,
    config: {
      apiUrl: api.stage.url,
      auth: {
        kind: 'cognito',
        domain: signIn.hostedUiUrl,
        issuer: api.issuer,
        clientId: signIn.client.userPoolClientId,
      },
    },
  });

  watchOperations(monitoring.monitoring, { api, workflows, billing });

  Tags.of(app).add('project', 'slice-snapshots');
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, api, workflows, monitoring, billing, console: consoleStack, consoleConfig };
}

/**
 * Adds every function's, the API's and the dead-letter queues' alarms beside them, and the
 * reconcilers' metric filters on their log groups (see OperationsMonitoring).
 */
function watchOperations(
  monitoring: OperationsMonitoring,
  stacks: { api: ApiStack; workflows: WorkflowsStack; billing: BillingStack | undefined },
): void {
  const { api, workflows, billing } = stacks;
  const functions = [
    ...api.functions.values(),
    ...workflows.functions.values(),
    ...(billing?.functions.values() ?? []),
  ];
  for (const sliceFunction of functions) {
    monitoring.watchFunction(sliceFunction);
    if (sliceFunction.spec.name === RECONCILERS.onStatusChange) {
      monitoring.countReconciliations(sliceFunction);
    }
    if (sliceFunction.spec.name === RECONCILERS.sweep) monitoring.countSweeps(sliceFunction);
  }
  monitoring.watchHttpApi(api.httpApi);
  for (const deadLetters of [
    workflows.deadLetterQueue,
    workflows.outbox.deadLetterQueue,
    workflows.policySchedules?.deadLetters,
    billing?.deadLetterQueue,
  ]) {
    if (deadLetters !== undefined) monitoring.watchDeadLetterQueue(deadLetters);
  }
}

/** `cdk synth -c 'regions=[{"id":"fra1","name":"Frankfurt 1"}]'` sets the regions served. */
function regionsFromContext(value: unknown): readonly ServedRegion[] {
  if (value === undefined) return DEFAULT_REGIONS;
  const regions: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(regions) || regions.length === 0 || !regions.every(isServedRegion)) {
    throw new Error('Context "regions" must be a JSON array of { id, name } strings');
  }
  return regions.map(({ id, name }) => ({ id, name }));
}

function isServedRegion(value: unknown): value is ServedRegion {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'name' in value &&
    typeof value.name === 'string'
  );
}
