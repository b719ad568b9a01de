import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { assertWorkflowTimeout, type WorkflowSpec } from '../catalog.ts';
import { stateMachineName } from '../workflow-arns.ts';

/** Properties of {@link WorkflowStateMachine}. */
export interface WorkflowStateMachineProps {
  readonly spec: WorkflowSpec;
  /** Directory the spec's `file` is relative to (the project root). */
  readonly projectRoot: string;
  /** Prefix of the state machine's fixed name (see workflow-arns.ts). */
  readonly namePrefix: string;
  /** Every `${Placeholder}` the ASL file uses, with its value. */
  readonly substitutions: Readonly<Record<string, string>>;
  /** The functions the ASL's tasks invoke: the state machine may invoke these, nothing else. */
  readonly invokes: readonly lambda.IFunction[];
}

/**
 * A standard state machine running a catalog workflow's ASL file as it is, with its placeholders
 * substituted, every event logged (execution data included) and X-Ray tracing on. The ASL file is
 * the single definition: the local runner executes the very same file.
 */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    const file = path.join(props.projectRoot, props.spec.file);
    const definition = readFileSync(file, 'utf8');
    assertWorkflowTimeout(props.spec, definition);
    const missing = placeholdersIn(definition).filter((key) => !(key in props.substitutions));
    if (missing.length > 0) {
      // CloudFormation would deploy the literal `${Key}` and the task would fail at run time.
      throw new Error(
        `${props.spec.file} uses placeholders nothing supplies: ${missing.join(', ')}`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: stateMachineName(props.namePrefix, props.spec.name),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(file),
      definitionSubstitutions: { ...props.substitutions },
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    if (props.invokes.length > 0) {
      // Tasks invoke the unqualified ARNs the substitutions hold, so no version or alias
      // wildcard (`<arn>:*`, what `grantInvoke` adds) is needed.
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: props.invokes.map((fn) => fn.functionArn),
        }),
      );
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:*LogDelivery*, DescribeLogGroups, ' +
        'DescribeResourcePolicies, PutResourcePolicy) and X-Ray tracing accept no ' +
        'resource-level permissions.',
    });
  }
}

function placeholdersIn(asl: string): string[] {
  return [...new Set(Array.from(asl.matchAll(/\$\{([^}]+)\}/g), (match) => match[1] ?? ''))];
}
