import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../blueprint/facts.ts';
import type { FunctionSpec } from '../catalog.ts';
import { constructId } from '../construct-id.ts';
import { acknowledgeWildcardResource } from '../nag-findings.ts';
import {
  executionArnPattern,
  policyScheduleArnPattern,
  policyScheduleDeadLettersArn,
  policyScheduleGroupName,
  policySchedulerRoleArn,
  stateMachineArn,
} from '../workflow-arns.ts';
import type { ServedRegion, SharedResources } from './shared-resources.ts';

/** Properties of {@link SliceFunction}. */
export interface SliceFunctionProps {
  /** The catalog entry: name, timeout, memory and the access to grant. */
  readonly spec: FunctionSpec;
  /** Directory holding the function's bundled `index.mjs`. */
  readonly bundleDirectory: string;
  readonly resources: SharedResources;
  readonly regions: readonly ServedRegion[];
  /** Prefix of the state machine names, to address the workflows the function starts. */
  readonly workflowNamePrefix: string;
}

/** How long function logs are kept. */
const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 256;

/** SendTask* accept no resource-level permissions: IAM only allows `*` for them. */
const TASK_RESULT_ACTIONS = [
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
];

/** Functions behind the JWT authorizer spend their caller's account tokens in the table. */
function spendsAccountTokens(spec: FunctionSpec): boolean {
  return (spec.routes ?? []).some((route) => route.auth === 'jwt');
}

/**
 * A Lambda function built from a catalog entry. It runs Node 24 on arm64 from its bundle of the
 * single esbuild pass, with its own log group with retention, active tracing and the wiring
 * environment of `ENV`. It gets exactly the access the entry declares: a role of its own holding
 * the data access policies the entry asks for, and no AWS managed policy.
 */
export class SliceFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly lambdaFunction: lambda.Function;
  readonly role: iam.Role;
  /** Where the function logs (JSON lines), for metric filters. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SliceFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${spec.name} function`,
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No AWSLambdaBasicExecutionRole: the function may write to its own log group only.
    this.logGroup.grantWrite(this.role);

    this.lambdaFunction = new lambda.Function(this, 'Function', {
      description: `${spec.name} (${spec.entry})`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(props.bundleDirectory),
      handler: 'index.handler',
      role: this.role,
      timeout: Duration.seconds(spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      memorySize: spec.memoryMB ?? DEFAULT_MEMORY_MB,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: this.environment(props),
    });

    this.grantAccess(props);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only actions without resource-level permissions get "*": X-Ray PutTraceSegments and ' +
        'PutTelemetryRecords (active tracing), and SendTask* for functions that report task results.',
    });
  }

  private environment(props: SliceFunctionProps): Record<string, string> {
    const { access } = props.spec;
    const { resources } = props;
    const environment: Record<string, string> = {
      [ENV.regions]: JSON.stringify(props.regions),
    };
    if (
      access.table ||
      access.claimsCallbackNonces ||
      access.recordsCommandContexts ||
      access.writesProgress ||
      spendsAccountTokens(props.spec)
    ) {
      environment[ENV.tableName] = resources.table.tableName;
    }
    if (access.images) {
      const buckets = Object.fromEntries(
        [...resources.imagesBuckets].map(([regionId, bucket]) => [regionId, bucket.bucketName]),
      );
      environment[ENV.imagesBuckets] = Stack.of(this).toJsonString(buckets);
    }
    if (access.readsHostSecrets) {
      environment[ENV.hostRegistrySecret] = resources.hostRegistrySecret.secretArn;
    }
    if (access.readsCursorKey) {
      environment[ENV.cursorKeySecret] = resources.cursorKeySecret.secretArn;
    }
    if (access.managesPolicySchedules) {
      environment[ENV.policyScheduleGroup] = policyScheduleGroupName(props.workflowNamePrefix);
      environment[ENV.policySchedulerRoleArn] = policySchedulerRoleArn(
        this,
        props.workflowNamePrefix,
      );
      environment[ENV.policyScheduleDeadLetterArn] = policyScheduleDeadLettersArn(
        this,
        props.workflowNamePrefix,
      );
    }
    // A policy's schedule names the run-policy state machine it starts.
    const workflows = [
      ...(access.startsWorkflows ?? []),
      ...(access.managesPolicySchedules ? ['run-policy'] : []),
    ];
    if (workflows.length > 0) {
      const arns = Object.fromEntries(
        workflows.map((workflow) => [
          workflow,
          stateMachineArn(this, props.workflowNamePrefix, workflow),
        ]),
      );
      environment[ENV.stateMachineArns] = Stack.of(this).toJsonString(arns);
    }
    return environment;
  }

  private grantAccess(props: SliceFunctionProps): void {
    const { access } = props.spec;
    const policies = props.resources.access;
    const attach = (policy: iam.IManagedPolicy) => this.role.addManagedPolicy(policy);

    if (access.table === 'read') attach(policies.tableRead);
    if (access.table === 'write') attach(policies.tableWrite);
    if (access.images === 'read') attach(policies.imagesRead);
    if (access.images === 'write') attach(policies.imagesWrite);
    if (access.images === 'delete') attach(policies.imagesDelete);
    if (access.readsHostSecrets) attach(policies.hostSecretsRead);
    if (access.claimsCallbackNonces) attach(policies.callbackNoncesWrite);
    if (access.recordsCommandContexts) attach(policies.commandContextsWrite);
    if (access.writesProgress) attach(policies.progressWrite);
    if (access.readsCursorKey) attach(policies.cursorKeyRead);
    if (spendsAccountTokens(props.spec)) attach(policies.rateLimitWrite);

    const workflows = access.startsWorkflows ?? [];
    if (workflows.length > 0) {
      const prefix = props.workflowNamePrefix;
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['states:StartExecution'],
          resources: workflows.map((workflow) => stateMachineArn(this, prefix, workflow)),
        }),
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['states:DescribeExecution'],
          resources: workflows.map((workflow) => executionArnPattern(this, prefix, workflow)),
        }),
      );
      for (const workflow of workflows) {
        acknowledgeWildcardResource(
          this.role,
          executionArnPattern(this, prefix, workflow),
          `Describes the executions of the ${workflow} workflow it starts; their names are generated.`,
        );
      }
    }

    if (access.managesPolicySchedules) {
      const prefix = props.workflowNamePrefix;
      const schedules = policyScheduleArnPattern(this, prefix);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:UpdateSchedule',
            'scheduler:DeleteSchedule',
            'scheduler:GetSchedule',
          ],
          resources: [schedules],
        }),
      );
      acknowledgeWildcardResource(
        this.role,
        schedules,
        "Manages the schedules of the policies' group: one per policy, named by its id at run time.",
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [policySchedulerRoleArn(this, prefix)],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
    }

    if (access.sendsTaskResults) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: TASK_RESULT_ACTIONS, resources: ['*'] }),
      );
    }
  }
}

/** What `createSliceFunctions` needs besides the catalog entries: where bundles are, and the rest. */
export type SliceFunctionsProps = Omit<SliceFunctionProps, 'spec' | 'bundleDirectory'> & {
  readonly functions: readonly FunctionSpec[];
  readonly bundleDirectories: ReadonlyMap<string, string>;
};

/** One SliceFunction per catalog entry, in `scope`, by name; a function without a bundle throws. */
export function createSliceFunctions(
  scope: Construct,
  props: SliceFunctionsProps,
): Map<string, SliceFunction> {
  const { functions: specs, bundleDirectories, ...shared } = props;
  const functions = new Map<string, SliceFunction>();
  for (const spec of specs) {
    const bundleDirectory = bundleDirectories.get(spec.name);
    if (bundleDirectory === undefined) throw new Error(`No bundle for function ${spec.name}`);
    functions.set(
      spec.name,
      new SliceFunction(scope, constructId(spec.name), { ...shared, spec, bundleDirectory }),
    );
  }
  return functions;
}
