import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import {
  type FunctionSpec,
  functionArnPlaceholder,
  PLACEHOLDER,
  type RuleSpec,
  type WorkflowSpec,
} from '../catalog.ts';
import { constructId } from '../construct-id.ts';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import { OutboxPipe } from '../constructs/outbox-pipe.ts';
import { PolicySchedules } from '../constructs/policy-schedules.ts';
import type { ServedRegion, SharedResources } from '../constructs/shared-resources.ts';
import { createSliceFunctions, type SliceFunction } from '../constructs/slice-function.ts';
import { WorkflowStateMachine } from '../constructs/workflow-state-machine.ts';

export interface WorkflowsStackProps extends StackProps {
  readonly resources: SharedResources;
  readonly workflows: readonly WorkflowSpec[];
  /** Rules on the executions' status changes, each invoking a function of this stack. */
  readonly rules?: readonly RuleSpec[];
  /** The catalog functions the workflows and the rules invoke. */
  readonly functions: readonly FunctionSpec[];
  readonly bundleDirectories: ReadonlyMap<string, string>;
  readonly regions: readonly ServedRegion[];
  /** Prefix of the state machines' fixed names (see workflow-arns.ts). */
  readonly workflowNamePrefix: string;
  /** Directory the workflows' ASL `file` paths are relative to. */
  readonly projectRoot: string;
}

/**
 * The workflows: one state machine per catalog workflow, beside the functions its tasks invoke.
 * Each state machine may invoke exactly the functions its catalog entry names. Rules on the
 * default bus hear how their executions end (the reconciler finishes what ended outside a Catch).
 * The outbox's Pipe puts the events written with the table's state changes on the bus.
 */
export class WorkflowsStack extends Stack {
  readonly stateMachines: ReadonlyMap<string, WorkflowStateMachine>;
  readonly functions: ReadonlyMap<string, SliceFunction>;
  readonly rules: ReadonlyMap<string, events.Rule>;
  /** What the rules' targets could not be given after all their retries; absent without rules. */
  readonly deadLetterQueue: DeadLetterQueue | undefined;
  /** The Pipe that puts the outbox's events on the bus, with its dead-letter queue. */
  readonly outbox: OutboxPipe;
  /** The policies' schedule group and the role their schedules start runs with. */
  readonly policySchedules: PolicySchedules | undefined;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { resources } = props;

    const functions = createSliceFunctions(this, {
      functions: props.functions,
      bundleDirectories: props.bundleDirectories,
      resources,
      regions: props.regions,
      workflowNamePrefix: props.workflowNamePrefix,
    });
    this.functions = functions;

    const stateMachines = new Map<string, WorkflowStateMachine>();
    for (const workflow of props.workflows) {
      const invoked = workflow.invokes.map((name) => {
        const sliceFunction = functions.get(name);
        if (sliceFunction === undefined) {
          throw new Error(`Workflow ${workflow.name} invokes ${name}, not in this stack`);
        }
        return sliceFunction;
      });
      const substitutions: Record<string, string> = {
        [PLACEHOLDER.eventBusName]: resources.eventBus.eventBusName,
        [PLACEHOLDER.tableName]: resources.table.tableName,
      };
      for (const sliceFunction of invoked) {
        substitutions[functionArnPlaceholder(sliceFunction.spec.name)] =
          sliceFunction.lambdaFunction.functionArn;
      }
      const machine = new WorkflowStateMachine(this, `${constructId(workflow.name)}Workflow`, {
        spec: workflow,
        projectRoot: props.projectRoot,
        namePrefix: props.workflowNamePrefix,
        substitutions,
        invokes: invoked.map((sliceFunction) => sliceFunction.lambdaFunction),
      });
      stateMachines.set(workflow.name, machine);
    }
    this.stateMachines = stateMachines;

    const runPolicy = stateMachines.get('run-policy');
    this.policySchedules = runPolicy
      ? new PolicySchedules(this, 'PolicySchedules', {
          runPolicy: runPolicy.stateMachine,
          namePrefix: props.workflowNamePrefix,
        })
      : undefined;

    // Beside the other event deliveries: the stream's outbox items to the bus.
    this.outbox = new OutboxPipe(this, 'Outbox', { resources });

    const rules = new Map<string, events.Rule>();
    this.deadLetterQueue =
      (props.rules ?? []).length > 0
        ? new DeadLetterQueue(this, 'RuleTargetDeadLetters', {
            description: 'status changes the reconciler was never given',
          })
        : undefined;
    for (const spec of props.rules ?? []) {
      const target = functions.get(spec.target.function);
      if (target === undefined) {
        throw new Error(`Rule ${spec.name} targets ${spec.target.function}, not in this stack`);
      }
      const rule = new events.Rule(this, `${constructId(spec.name)}Rule`, {
        description: spec.description,
        // Step Functions puts its status changes on the account's default bus.
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: {
            status: [...spec.workflowStatuses],
            stateMachineArn: [...stateMachines.values()].map(
              (machine) => machine.stateMachine.stateMachineArn,
            ),
          },
        },
      });
      // Retried by EventBridge for a day; what still fails is caught by the sweep, and kept in the
      // dead-letter queue (whose alarm tells an operator that events were lost).
      rule.addTarget(
        new eventTargets.LambdaFunction(target.lambdaFunction, {
          retryAttempts: 8,
          deadLetterQueue: this.deadLetterQueue?.queue,
        }),
      );
      rules.set(spec.name, rule);
    }
    this.rules = rules;
  }
}
