import { Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type FunctionSpec, type ScheduleSpec, scheduleTargetName } from '../catalog.ts';
import { constructId } from '../construct-id.ts';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import type { ServedRegion, SharedResources } from '../constructs/shared-resources.ts';
import { createSliceFunctions, type SliceFunction } from '../constructs/slice-function.ts';
import { acknowledgeWildcardResource } from '../nag-findings.ts';
import { stateMachineArn } from '../workflow-arns.ts';

export interface BillingStackProps extends StackProps {
  readonly resources: SharedResources;
  readonly schedules: readonly ScheduleSpec[];
  /** The catalog functions the schedules invoke themselves (not through a workflow). */
  readonly functions: readonly FunctionSpec[];
  readonly bundleDirectories: ReadonlyMap<string, string>;
  readonly regions: readonly ServedRegion[];
  /** Prefix of the state machine names, to address the workflows the schedules start. */
  readonly workflowNamePrefix: string;
}

/**
 * Scheduled work (the billing runs): one EventBridge Scheduler schedule per catalog schedule,
 * invoking its function or starting its workflow's state machine, each through a role that may
 * do exactly that. It copes with no schedules (it is then empty), though the app leaves it out
 * until the catalog schedules something.
 */
export class BillingStack extends Stack {
  readonly functions: ReadonlyMap<string, SliceFunction>;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;
  /** What the schedules could not start or invoke after all their retries; absent without any. */
  readonly deadLetterQueue: DeadLetterQueue | undefined;
  private readonly workflowNamePrefix: string;

  constructor(scope: Construct, id: string, props: BillingStackProps) {
    super(scope, id, props);
    this.workflowNamePrefix = props.workflowNamePrefix;

    this.functions = createSliceFunctions(this, {
      functions: props.functions,
      bundleDirectories: props.bundleDirectories,
      resources: props.resources,
      regions: props.regions,
      workflowNamePrefix: props.workflowNamePrefix,
    });

    this.deadLetterQueue =
      props.schedules.length > 0
        ? new DeadLetterQueue(this, 'ScheduleTargetDeadLetters', {
            description: 'scheduled runs that could not be started',
          })
        : undefined;
    const schedules = new Map<string, scheduler.Schedule>();
    for (const spec of props.schedules) {
      const schedule = new scheduler.Schedule(this, `${constructId(spec.name)}Schedule`, {
        description: `${spec.name}: ${spec.expression} → ${scheduleTargetName(spec.target)}`,
        // Billing periods are calendar months in UTC, and so are the schedules.
        schedule: scheduler.ScheduleExpression.expression(spec.expression, TimeZone.ETC_UTC),
        target: this.targetOf(spec),
      });
      schedules.set(spec.name, schedule);
    }
    this.schedules = schedules;
  }

  private targetOf(spec: ScheduleSpec): scheduler.IScheduleTarget {
    const delivery = {
      input: scheduler.ScheduleTargetInput.fromObject(spec.input ?? {}),
      // Billing runs are idempotent, so retrying a failed start or invocation is always safe.
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
      deadLetterQueue: this.deadLetterQueue?.queue,
    };
    const { target } = spec;
    if ('workflow' in target) {
      return new targets.StepFunctionsStartExecution(this.stateMachine(target.workflow), delivery);
    }
    const sliceFunction = this.functions.get(target.function);
    if (sliceFunction === undefined) {
      throw new Error(`Schedule ${spec.name} targets ${target.function}, not in this stack`);
    }
    acknowledgeWildcardResource(
      this,
      `${sliceFunction.lambdaFunction.functionArn}:*`,
      'The scheduler target grant covers the versions and aliases of the one function it invokes.',
    );
    return new targets.LambdaInvoke(sliceFunction.lambdaFunction, delivery);
  }

  /**
   * A workflow's state machine, addressed by its fixed name (see workflow-arns.ts) rather than
   * imported from the workflows stack: no export pins it, and the app orders the deployments.
   */
  private stateMachine(workflow: string): sfn.IStateMachine {
    const id = `${constructId(workflow)}StateMachine`;
    const existing = this.node.tryFindChild(id) as sfn.IStateMachine | undefined;
    return (
      existing ??
      sfn.StateMachine.fromStateMachineArn(
        this,
        id,
        stateMachineArn(this, this.workflowNamePrefix, workflow),
      )
    );
  }
}
