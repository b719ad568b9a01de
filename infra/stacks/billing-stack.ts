import { Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import type { FunctionSpec, ScheduleSpec } from '../catalog.ts';
import { constructId } from '../construct-id.ts';
import type { ServedRegion, SharedResources } from '../constructs/shared-resources.ts';
import { SliceFunction } from '../constructs/slice-function.ts';
import { acknowledgeWildcardResource } from '../nag-findings.ts';

export interface BillingStackProps extends StackProps {
  readonly resources: SharedResources;
  readonly schedules: readonly ScheduleSpec[];
  /** The catalog functions the schedules invoke. */
  readonly functions: readonly FunctionSpec[];
  readonly bundleDirectories: ReadonlyMap<string, string>;
  readonly regions: readonly ServedRegion[];
  readonly workflowNamePrefix: string;
}

/**
 * Scheduled work (the billing runs): one EventBridge Scheduler schedule per catalog schedule,
 * invoking its function. It copes with no schedules (it is then empty), though the app leaves it
 * out until the catalog schedules something.
 */
export class BillingStack extends Stack {
  readonly functions: ReadonlyMap<string, SliceFunction>;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: BillingStackProps) {
    super(scope, id, props);

    const functions = new Map<string, SliceFunction>();
    for (const spec of props.functions) {
      const bundleDirectory = props.bundleDirectories.get(spec.name);
      if (bundleDirectory === undefined) throw new Error(`No bundle for function ${spec.name}`);
      functions.set(
        spec.name,
        new SliceFunction(this, constructId(spec.name), {
          spec,
          bundleDirectory,
          resources: props.resources,
          regions: props.regions,
          workflowNamePrefix: props.workflowNamePrefix,
        }),
      );
    }
    this.functions = functions;

    const schedules = new Map<string, scheduler.Schedule>();
    for (const spec of props.schedules) {
      const target = functions.get(spec.target);
      if (target === undefined) {
        throw new Error(`Schedule ${spec.name} targets ${spec.target}, not in this stack`);
      }
      const schedule = new scheduler.Schedule(this, `${constructId(spec.name)}Schedule`, {
        description: `${spec.name}: ${spec.expression} → ${spec.target}`,
        // Billing periods are calendar months in UTC, and so are the schedules.
        schedule: scheduler.ScheduleExpression.expression(spec.expression, TimeZone.ETC_UTC),
        target: new targets.LambdaInvoke(target.lambdaFunction, {
          input: scheduler.ScheduleTargetInput.fromObject(spec.input ?? {}),
          // Billing runs are idempotent, so retrying a failed run is always safe.
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
        }),
      });
      acknowledgeWildcardResource(
        this,
        `${target.lambdaFunction.functionArn}:*`,
        'The scheduler target grant covers the versions and aliases of the one function it invokes.',
      );
      schedules.set(spec.name, schedule);
    }
    this.schedules = schedules;
  }
}
