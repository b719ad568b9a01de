import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { policyScheduleGroupName, policySchedulerRoleName } from '../workflow-arns.ts';

/** Properties of {@link PolicySchedules}. */
export interface PolicySchedulesProps {
  /** The run-policy state machine the schedules start. */
  readonly runPolicy: sfn.IStateMachine;
  /** Prefix of the fixed names (see workflow-arns.ts). */
  readonly namePrefix: string;
}

/**
 * Where the policies' schedules live: a schedule group of the project's (the API functions create,
 * update and delete one schedule per policy in it) and the role those schedules assume, which may
 * start the run-policy workflow and nothing else, and only for schedules of this account.
 */
export class PolicySchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PolicySchedulesProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: policyScheduleGroupName(props.namePrefix),
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: policySchedulerRoleName(props.namePrefix),
      description: 'Starts the run-policy workflow for the snapshot policies schedules',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // The confused-deputy guard: only this account's schedules may assume it.
        conditions: { StringEquals: { 'aws:SourceAccount': this.group.env.account } },
      }),
    });
    props.runPolicy.grantStartExecution(this.role);
  }
}
