import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { scheduleExpressionOf } from '../../core/policies/policy-schedule.ts';
import type { SnapshotPolicy } from '../../core/policies/snapshot-policy.ts';
import type { PolicyScheduler } from '../../core/ports/policy-scheduler.ts';
import type { PolicyRunWorkflowInput } from '../../core/ports/workflow-starter.ts';

/** Where the schedules are and what they start. */
export interface EventBridgePolicySchedulerOptions {
  readonly client: SchedulerClient;
  /** The schedule group of ours that holds one schedule per policy. */
  readonly groupName: string;
  /** The run-policy state machine each schedule starts. */
  readonly runPolicyStateMachineArn: string;
  /** The role the scheduler assumes to start it. */
  readonly roleArn: string;
  /** The queue that keeps a run Scheduler gave up starting, for an operator to see. */
  readonly deadLetterArn: string;
}

/**
 * PolicyScheduler on EventBridge Scheduler: one schedule per policy, named by the policy's id
 * (unique across accounts, and short enough for Scheduler's 64 characters), starting the
 * run-policy state machine with the account and the policy. A policy edited keeps its schedule,
 * updated in place.
 */
export class EventBridgePolicyScheduler implements PolicyScheduler {
  readonly #options: EventBridgePolicySchedulerOptions;

  constructor(options: EventBridgePolicySchedulerOptions) {
    this.#options = options;
  }

  async put(policy: SnapshotPolicy): Promise<void> {
    const input: PolicyRunWorkflowInput = { accountId: policy.accountId, policyId: policy.id };
    const schedule = {
      Name: policy.id,
      GroupName: this.#options.groupName,
      ScheduleExpression: scheduleExpressionOf(policy.schedule),
      // The policies' times of day are UTC, as the simulation reads them.
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      State: policy.enabled ? ('ENABLED' as const) : ('DISABLED' as const),
      Target: {
        Arn: this.#options.runPolicyStateMachineArn,
        RoleArn: this.#options.roleArn,
        Input: JSON.stringify(input),
        // A run that could not start within the hour is left to the next one.
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3_600 },
        // What its retries could not start lands there, and its alarm tells an operator.
        DeadLetterConfig: { Arn: this.#options.deadLetterArn },
      },
    };
    try {
      await this.#options.client.send(new UpdateScheduleCommand(schedule));
    } catch (error) {
      if (!isNamed(error, 'ResourceNotFoundException')) throw error;
      try {
        await this.#options.client.send(new CreateScheduleCommand(schedule));
      } catch (createError) {
        // Created meanwhile by a retried request: it now has this policy's settings or soon will.
        if (!isNamed(createError, 'ConflictException')) throw createError;
        await this.#options.client.send(new UpdateScheduleCommand(schedule));
      }
    }
  }

  async remove(policyId: string): Promise<void> {
    try {
      await this.#options.client.send(
        new DeleteScheduleCommand({ Name: policyId, GroupName: this.#options.groupName }),
      );
    } catch (error) {
      if (!isNamed(error, 'ResourceNotFoundException')) throw error;
    }
  }
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
