import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { OperationsMonitoring } from '../constructs/operations-monitoring.ts';

export interface MonitoringStackProps extends StackProps {
  /** The workflows' names, as in the catalog. */
  readonly workflows: readonly string[];
  /** Prefix of the state machines' fixed names (see workflow-arns.ts). */
  readonly workflowNamePrefix: string;
  /** The bus the backend's events are put on. */
  readonly eventBus: events.IEventBus;
  /** The `source` of the backend's events. */
  readonly eventSource: string;
  /** `detail-type` of the event a snapshot emits once available. */
  readonly snapshotAvailableDetailType: string;
}

/**
 * What operators watch: the alarm topic, the alarms on the workflows and on operations
 * reconciled, and the dashboard. Deployed before the workflows, API and billing stacks, whose
 * alarms (added beside their resources by {@link OperationsMonitoring}) notify its topic; it
 * imports nothing from them.
 */
export class MonitoringStack extends Stack {
  readonly monitoring: OperationsMonitoring;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    this.monitoring = new OperationsMonitoring(this, 'Operations', {
      workflows: props.workflows,
      workflowNamePrefix: props.workflowNamePrefix,
      eventBus: props.eventBus,
      eventSource: props.eventSource,
      snapshotAvailableDetailType: props.snapshotAvailableDetailType,
    });
    // What an operator subscribes to, and the dashboard to open (README, Operating).
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
