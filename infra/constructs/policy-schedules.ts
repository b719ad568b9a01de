import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  policyScheduleDeadLettersName,
  policyScheduleGroupName,
  policySchedulerRoleName,
} from '../workflow-arns.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

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
  /** The scheduled runs Scheduler gave up starting (its retries spent), for an operator. */
  readonly deadLetters: DeadLetterQueue;

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
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      description: "policies' scheduled runs that could not be started",
      // The functions that write the schedules name it in each schedule's target.
      queueName: policyScheduleDeadLettersName(props.namePrefix),
    });
    this.deadLetters.queue.grantSendMessages(this.role);
  }
}
