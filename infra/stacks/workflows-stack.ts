import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  type FunctionSpec,
  functionArnPlaceholder,
  PLACEHOLDER,
  type WorkflowSpec,
} from '../catalog.ts';
import { constructId } from '../construct-id.ts';
import type { ServedRegion, SharedResources } from '../constructs/shared-resources.ts';
import { SliceFunction } from '../constructs/slice-function.ts';
import { WorkflowStateMachine } from '../constructs/workflow-state-machine.ts';

export interface WorkflowsStackProps extends StackProps {
  readonly resources: SharedResources;
  readonly workflows: readonly WorkflowSpec[];
  /** The catalog functions the workflows invoke. */
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
 * Each state machine may invoke exactly the functions its catalog entry names.
 */
export class WorkflowsStack extends Stack {
  readonly stateMachines: ReadonlyMap<string, WorkflowStateMachine>;
  readonly functions: ReadonlyMap<string, SliceFunction>;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { resources } = props;

    const functions = new Map<string, SliceFunction>();
    for (const spec of props.functions) {
      const bundleDirectory = props.bundleDirectories.get(spec.name);
      if (bundleDirectory === undefined) throw new Error(`No bundle for function ${spec.name}`);
      functions.set(
        spec.name,
        new SliceFunction(this, constructId(spec.name), {
          spec,
          bundleDirectory,
          resources,
          regions: props.regions,
          workflowNamePrefix: props.workflowNamePrefix,
        }),
      );
    }
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
        [PLACEHOLDER.imagesBucket]: resources.imagesBucket.bucketName,
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
  }
}
