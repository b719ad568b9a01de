import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/*
 * State machines get fixed names, and every stack that needs a state machine's ARN builds it from
 * that name, in its own account and region, instead of importing it from the workflows stack.
 * Why: API functions start workflows (they need the ARNs) while workflow functions may one day need
 * API outputs (the callback URL an agent reports to). References in both directions would be a
 * cross-stack cycle; names break it, and no CloudFormation export pins a state machine in place.
 * This is the one place where the project sets a physical name on purpose.
 */

/** The physical name of a workflow's state machine. */
export function stateMachineName(namePrefix: string, workflow: string): string {
  return `${namePrefix}-${workflow}`;
}

/** The ARN of a workflow's state machine, in the account and region of `scope`'s stack. */
export function stateMachineArn(scope: IConstruct, namePrefix: string, workflow: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(namePrefix, workflow),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The ARN pattern of every execution of a workflow's state machine (what DescribeExecution needs). */
export function executionArnPattern(
  scope: IConstruct,
  namePrefix: string,
  workflow: string,
): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName(namePrefix, workflow)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
