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

/*
 * The policies' schedules are made at run time by the API functions, in a schedule group of the
 * project's, and given a role that starts the run-policy workflow. The group and the role get
 * fixed names for the same reason as the state machines: the API stack addresses them by name.
 */

/** The physical name of the schedule group that holds one schedule per snapshot policy. */
export function policyScheduleGroupName(namePrefix: string): string {
  return `${namePrefix}-policies`;
}

/** The physical name of the role the policies' schedules start their runs with. */
export function policySchedulerRoleName(namePrefix: string): string {
  return `${namePrefix}-policy-scheduler`;
}

/** The ARN of that role, in the account of `scope`'s stack (IAM is global: no region). */
export function policySchedulerRoleArn(scope: IConstruct, namePrefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: policySchedulerRoleName(namePrefix),
  });
}

/** The physical name of the queue of the policies' scheduled runs that could not start. */
export function policyScheduleDeadLettersName(namePrefix: string): string {
  return `${namePrefix}-policy-schedule-dead-letters`;
}

/** The ARN of that queue, in the region and account of `scope`'s stack. */
export function policyScheduleDeadLettersArn(scope: IConstruct, namePrefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'sqs',
    resource: policyScheduleDeadLettersName(namePrefix),
  });
}

/** The ARN pattern of every schedule in the policies' schedule group. */
export function policyScheduleArnPattern(scope: IConstruct, namePrefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'scheduler',
    resource: 'schedule',
    resourceName: `${policyScheduleGroupName(namePrefix)}/*`,
  });
}
