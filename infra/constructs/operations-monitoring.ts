import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { constructId } from '../construct-id.ts';
import { stateMachineArn } from '../workflow-arns.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { SliceFunction } from './slice-function.ts';

/** Namespace of the metrics the backend's logs and events are turned into. */
export const METRICS_NAMESPACE = 'SliceSnapshots';

/** The metrics of {@link METRICS_NAMESPACE}, each counted from a log line or an event. */
export const OPERATIONS_METRIC = {
  /** Operations the reconciler finished on a status-change event (one per operation). */
  operationsReconciled: 'OperationsReconciled',
  /** Reconciler invocations that threw (EventBridge retries them, then the dead-letter queue). */
  reconcilerFailures: 'ReconcilerFailures',
  /** Sweeps that found and finished at least one operation whose event was lost. */
  sweepsThatReconciled: 'SweepsThatReconciled',
  /** Sweeps that could not finish some operation (it stays running until a later sweep). */
  sweepsWithFailures: 'SweepsWithFailures',
  /** Bytes (`sizeBytes`, what billing counts) of the snapshots that became available. */
  snapshotBytesAvailable: 'SnapshotBytesAvailable',
} as const;

/**
 * The messages of the handlers' JSON log lines (Powertools Logger, `message` key) that the
 * metric filters count: functions/reconcile-operation.ts, functions/sweep-operations.ts and the
 * workflow task stack (functions/shared/workflow-task.ts). A test keeps them in step.
 */
export const COUNTED_LOG_MESSAGES = {
  operationReconciled: 'operation reconciled',
  operationsSwept: 'operations swept',
  taskFailed: 'workflow task failed',
} as const;

/** Titles of the dashboard's widgets. */
export const DASHBOARD_WIDGET = {
  successRate: 'Workflow success rate (%)',
  duration: 'Workflow duration, p50 and p99 (ms)',
  endings: 'Executions failed, timed out or aborted',
  snapshotBytes: 'Snapshot bytes per hour',
  reconciler: "Reconciler's work",
} as const;

/**
 * Alarm thresholds, in one place. Every execution that ends badly and every reconciled
 * operation is worth a look (a bug or an outage), as is any 5xx: the API maps every known error
 * to a 4xx. Workflow tasks throw their domain errors on purpose (the ASL's `Catch` matches their
 * names), so their Lambda errors also fire when a workflow fails for an ordinary reason.
 */
export const ALARM_THRESHOLD = {
  /** Executions failed, timed out or aborted in 5 minutes, per state machine. */
  executionsEndedBadly: 1,
  /** Operations reconciled (events and sweeps) in 5 minutes. */
  operationsReconciled: 1,
  /** Errors of one function in 5 minutes. */
  functionErrors: 1,
  /** Throttled invocations of one function in 5 minutes. */
  functionThrottles: 1,
  /** API responses 5xx in 5 minutes. */
  api5xx: 1,
  /** API p99 latency (ms), over each of 3 consecutive 5-minute periods. */
  apiP99LatencyMs: 3_000,
  /** Messages waiting in a dead-letter queue. */
  deadLetters: 1,
} as const;

const PERIOD = Duration.minutes(5);

/** The Step Functions metrics alarmed on, per state machine. */
const EXECUTION_ENDINGS = [
  { metricName: 'ExecutionsFailed', id: 'Failed', what: 'failed' },
  { metricName: 'ExecutionsTimedOut', id: 'TimedOut', what: 'timed out' },
  { metricName: 'ExecutionsAborted', id: 'Aborted', what: 'aborted' },
] as const;

/** Properties of {@link OperationsMonitoring}. */
export interface OperationsMonitoringProps {
  /** The workflows' names, as in the catalog. */
  readonly workflows: readonly string[];
  /** Prefix of the state machines' fixed names (see workflow-arns.ts). */
  readonly workflowNamePrefix: string;
  /** The bus the backend's events are put on. */
  readonly eventBus: events.IEventBus;
  /** The `source` of the backend's events. */
  readonly eventSource: string;
  /** `detail-type` of the event a snapshot emits once available (it carries `sizeBytes`). */
  readonly snapshotAvailableDetailType: string;
}

/**
 * What operators watch: one SNS topic every alarm notifies (encrypted, TLS only), alarms on the
 * executions of every state machine that fail, time out or are aborted, on operations
 * reconciled, and one dashboard (workflows' success rate and duration, snapshot bytes per hour,
 * the reconciler's work). Its `watch*` and `count*` methods add the alarms and metric filters of
 * resources in other stacks *beside those resources*, so that only the topic's ARN crosses
 * stacks: the dashboard and the alarms here use metrics whose dimensions are fixed names (state
 * machines) or this project's own namespace, and no other stack exports anything to this one.
 */
export class OperationsMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  private readonly action: cloudwatchActions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);

    // CloudWatch can publish to an encrypted topic only through a customer-managed key that lets
    // it (the AWS-managed SNS key does not). The statement is the one AWS documents for alarms,
    // without a source condition: what may publish is the topic policy's business.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the operations alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Slice snapshots operations alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.action = new cloudwatchActions.SnsAction(this.topic);

    const workflows = props.workflows.map((workflow) => ({
      workflow,
      arn: stateMachineArn(this, props.workflowNamePrefix, workflow),
    }));
    for (const { workflow, arn } of workflows) {
      for (const ending of EXECUTION_ENDINGS) {
        this.alarm(this, `${constructId(workflow)}Executions${ending.id}`, {
          metric: executionMetric(ending.metricName, arn, 'Sum'),
          threshold: ALARM_THRESHOLD.executionsEndedBadly,
          alarmDescription:
            `Executions of the ${workflow} workflow ${ending.what}. Its operations end anyway ` +
            '(Catch, reconciler); see the execution history for the step and its error.',
        });
      }
    }

    const reconciled = new cloudwatch.MathExpression({
      expression: 'FILL(events, 0) + FILL(sweeps, 0)',
      usingMetrics: {
        events: operationsMetric(OPERATIONS_METRIC.operationsReconciled),
        sweeps: operationsMetric(OPERATIONS_METRIC.sweepsThatReconciled),
      },
      label: 'Operations reconciled',
      period: PERIOD,
    });
    this.alarm(this, 'OperationsReconciled', {
      metric: reconciled,
      threshold: ALARM_THRESHOLD.operationsReconciled,
      alarmDescription:
        'The reconciler finished operations whose workflow ended outside its Catch (stopped, ' +
        'timed out, a step without Catch) or whose status-change event was lost: each one is a ' +
        'bug or an outage. Its log group names the operations.',
    });

    this.countSnapshotBytes(props);
    this.dashboard = this.buildDashboard(workflows);
  }

  /** Alarms, beside the function, on any of its errors and throttles. */
  watchFunction(sliceFunction: SliceFunction): void {
    const fn = sliceFunction.lambdaFunction;
    const name = sliceFunction.spec.name;
    this.alarm(sliceFunction, 'ErrorsAlarm', {
      metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      threshold: ALARM_THRESHOLD.functionErrors,
      alarmDescription: `The ${name} function failed; its log group says why.`,
    });
    this.alarm(sliceFunction, 'ThrottlesAlarm', {
      metric: fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      threshold: ALARM_THRESHOLD.functionThrottles,
      alarmDescription: `Invocations of the ${name} function were throttled (account concurrency).`,
    });
  }

  /** Alarms, beside the API, on its 5xx answers and its p99 latency. */
  watchHttpApi(httpApi: apigwv2.HttpApi): void {
    this.alarm(httpApi, 'ServerErrorsAlarm', {
      metric: httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      threshold: ALARM_THRESHOLD.api5xx,
      alarmDescription:
        'The API answered 5xx: an unhandled error or a failed integration. The access log ' +
        '(status, integrationError) and the route function logs say which.',
    });
    this.alarm(httpApi, 'P99LatencyAlarm', {
      metric: httpApi.metricLatency({ period: PERIOD, statistic: 'p99' }),
      threshold: ALARM_THRESHOLD.apiP99LatencyMs,
      evaluationPeriods: 3,
      alarmDescription: `The API's p99 latency stayed above ${ALARM_THRESHOLD.apiP99LatencyMs} ms for 15 minutes.`,
    });
  }

  /** Alarms, beside the queue, on the first message a delivery gave up on. */
  watchDeadLetterQueue(deadLetters: DeadLetterQueue): void {
    this.alarm(deadLetters, 'MessagesAlarm', {
      metric: deadLetters.queue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      threshold: ALARM_THRESHOLD.deadLetters,
      alarmDescription:
        `Messages in a dead-letter queue: ${deadLetters.description}. Read them, fix the ` +
        'cause, then redrive or delete them.',
    });
  }

  /**
   * Counts, from the log of the function the status-change rule invokes, the operations it
   * reconciled and its failed invocations.
   */
  countReconciliations(reconciler: SliceFunction): void {
    countLogLines(reconciler.logGroup, 'ReconciledMetric', {
      metricName: OPERATIONS_METRIC.operationsReconciled,
      filterPattern: messageIs(COUNTED_LOG_MESSAGES.operationReconciled),
    });
    countLogLines(reconciler.logGroup, 'FailuresMetric', {
      metricName: OPERATIONS_METRIC.reconcilerFailures,
      filterPattern: messageIs(COUNTED_LOG_MESSAGES.taskFailed),
    });
  }

  /**
   * Counts, from the sweep's log, the sweeps that reconciled operations and those that failed
   * some. The sweep logs one line per run listing the operation IDs, and a metric filter cannot
   * count an array's items: these count sweeps, a lower bound of the operations (a lost event is
   * rare; more than one in 5 minutes rarer still).
   */
  countSweeps(sweep: SliceFunction): void {
    countLogLines(sweep.logGroup, 'ReconciledMetric', {
      metricName: OPERATIONS_METRIC.sweepsThatReconciled,
      filterPattern: logs.FilterPattern.all(
        messageIs(COUNTED_LOG_MESSAGES.operationsSwept),
        logs.FilterPattern.exists('$.reconciled[0]'),
      ),
    });
    countLogLines(sweep.logGroup, 'FailuresMetric', {
      metricName: OPERATIONS_METRIC.sweepsWithFailures,
      filterPattern: logs.FilterPattern.all(
        messageIs(COUNTED_LOG_MESSAGES.operationsSwept),
        logs.FilterPattern.exists('$.failed[0].operationId'),
      ),
    });
  }

  /**
   * Snapshot bytes per hour, from the `Snapshot Available` events: S3's own size metrics are
   * daily and count chunks shared between snapshots once, and no function logs the size. A rule
   * on the bus copies those events into a log group; a metric filter sums their
   * `detail.sizeBytes` (the bytes billing counts). An event delivered twice (at least once, with
   * the same `eventId`) would be counted twice; the figure is for trends, not for billing.
   */
  private countSnapshotBytes(props: OperationsMonitoringProps): void {
    const logGroup = new logs.LogGroup(this, 'SnapshotsAvailableLog', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // EventBridge writes to a log group only where its resource policy lets it. Written here
    // rather than through the CloudWatchLogGroup target, which installs a custom resource (a
    // Lambda function with AWS-managed policies) to do the same.
    new logs.ResourcePolicy(this, 'SnapshotsAvailableLogPolicy', {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('delivery.logs.amazonaws.com'),
          ],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      ],
    });
    const rule = new events.Rule(this, 'SnapshotsAvailableRule', {
      description: 'Copies Snapshot Available events to a log group, for snapshot bytes per hour',
      eventBus: props.eventBus,
      eventPattern: {
        source: [props.eventSource],
        detailType: [props.snapshotAvailableDetailType],
      },
    });
    rule.addTarget({ bind: () => ({ arn: logGroupArn }) });
    countLogLines(logGroup, 'SnapshotBytesMetric', {
      metricName: OPERATIONS_METRIC.snapshotBytesAvailable,
      filterPattern: logs.FilterPattern.numberValue('$.detail.sizeBytes', '>=', 0),
      metricValue: '$.detail.sizeBytes',
      unit: cloudwatch.Unit.BYTES,
    });
  }

  private buildDashboard(
    workflows: ReadonlyArray<{ workflow: string; arn: string }>,
  ): cloudwatch.Dashboard {
    const successRates = workflows.map(({ workflow, arn }, index) => {
      // Metric IDs are unique per graph: one set per workflow.
      const [s, f, t, a] = [`s${index}`, `f${index}`, `t${index}`, `a${index}`];
      return new cloudwatch.MathExpression({
        expression: `100 * FILL(${s}, 0) / (FILL(${s}, 0) + FILL(${f}, 0) + FILL(${t}, 0) + FILL(${a}, 0))`,
        usingMetrics: {
          [s]: executionMetric('ExecutionsSucceeded', arn, 'Sum'),
          [f]: executionMetric('ExecutionsFailed', arn, 'Sum'),
          [t]: executionMetric('ExecutionsTimedOut', arn, 'Sum'),
          [a]: executionMetric('ExecutionsAborted', arn, 'Sum'),
        },
        label: workflow,
        period: Duration.hours(1),
      });
    });
    const durations = workflows.flatMap(({ workflow, arn }) =>
      (['p50', 'p99'] as const).map((statistic) =>
        executionMetric('ExecutionTime', arn, statistic, `${workflow} ${statistic}`),
      ),
    );
    const endings = workflows.flatMap(({ workflow, arn }) =>
      EXECUTION_ENDINGS.map((ending) =>
        executionMetric(ending.metricName, arn, 'Sum', `${workflow} ${ending.what}`),
      ),
    );

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: DASHBOARD_WIDGET.successRate,
        left: successRates,
        leftYAxis: { min: 0, max: 100, showUnits: false },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: DASHBOARD_WIDGET.duration,
        left: durations,
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: DASHBOARD_WIDGET.endings,
        left: endings,
        stacked: true,
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: DASHBOARD_WIDGET.snapshotBytes,
        left: [
          operationsMetric(OPERATIONS_METRIC.snapshotBytesAvailable, {
            label: 'Bytes of snapshots made available',
            period: Duration.hours(1),
          }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: DASHBOARD_WIDGET.reconciler,
        left: [
          operationsMetric(OPERATIONS_METRIC.operationsReconciled, {
            label: 'Operations reconciled on their event',
          }),
          operationsMetric(OPERATIONS_METRIC.sweepsThatReconciled, {
            label: 'Sweeps that reconciled operations',
          }),
        ],
        right: [
          operationsMetric(OPERATIONS_METRIC.reconcilerFailures, {
            label: 'Reconciler invocations failed',
          }),
          operationsMetric(OPERATIONS_METRIC.sweepsWithFailures, {
            label: 'Sweeps that left operations running',
          }),
        ],
        width: 8,
      }),
    );
    return dashboard;
  }

  private alarm(
    scope: Construct,
    id: string,
    props: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'alarmDescription'> & {
      evaluationPeriods?: number;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      evaluationPeriods: 1,
      ...props,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data is no executions, no errors, no messages: all is well.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

function executionMetric(
  metricName: string,
  stateMachineArn: string,
  statistic: string,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/States',
    metricName,
    dimensionsMap: { StateMachineArn: stateMachineArn },
    statistic,
    period: PERIOD,
    label,
  });
}

function operationsMetric(
  metricName: string,
  options: { label?: string; period?: Duration } = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic: 'Sum',
    period: options.period ?? PERIOD,
    label: options.label,
  });
}

function messageIs(message: string): logs.JsonPattern {
  return logs.FilterPattern.stringValue('$.message', '=', message);
}

function countLogLines(
  logGroup: logs.ILogGroup,
  id: string,
  props: Pick<logs.MetricFilterProps, 'metricName' | 'filterPattern' | 'metricValue' | 'unit'>,
): logs.MetricFilter {
  return new logs.MetricFilter(logGroup, id, {
    logGroup,
    metricNamespace: METRICS_NAMESPACE,
    metricValue: '1',
    ...props,
  });
}
