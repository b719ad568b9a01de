import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONCILERS } from '../../infra/catalog.ts';
import {
  ALARM_THRESHOLD,
  COUNTED_LOG_MESSAGES,
  DASHBOARD_WIDGET,
  METRICS_NAMESPACE,
  OPERATIONS_METRIC,
} from '../../infra/constructs/operations-monitoring.ts';
import type { SliceFunction } from '../../infra/constructs/slice-function.ts';
import {
  buildApp,
  denyWithoutTls,
  PROJECT_ROOT,
  REAL_CATALOG,
  renderCfnString,
} from './support/synth.ts';

interface ResourceJson {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

interface TemplateJson {
  readonly Resources: Record<string, ResourceJson>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

function logicalId(stack: Stack, element: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(element.node.defaultChild as CfnElement);
}

/** Checks that `stack` counts each line of `logGroup` matching `pattern` as one `metricName`. */
function expectCountingFilter(
  stack: Stack,
  logGroup: { node: { defaultChild?: unknown } },
  pattern: string,
  metricName: string,
): void {
  Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: logicalId(stack, logGroup) },
    FilterPattern: pattern,
    MetricTransformations: [
      { MetricNamespace: METRICS_NAMESPACE, MetricName: metricName, MetricValue: '1' },
    ],
  });
}

function stateMachineArnOf(workflow: string): string {
  return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-${workflow}`;
}

describe('OperationsMonitoring', () => {
  let real: ReturnType<typeof buildApp>;
  let monitoring: Template;
  let topicId: string;
  let topicExport: string;
  /** Every stack holding alarms, with its template. */
  let watched: Array<{ stack: Stack; template: Template }>;

  beforeAll(() => {
    real = buildApp(REAL_CATALOG);
    monitoring = Template.fromStack(real.monitoring);
    topicId = logicalId(real.monitoring, real.monitoring.monitoring.topic);
    const outputs = (monitoring.toJSON() as TemplateJson).Outputs ?? {};
    const exported = Object.values(outputs).find(
      (output) =>
        output.Export !== undefined &&
        JSON.stringify(output.Value) === JSON.stringify({ Ref: topicId }),
    );
    if (exported?.Export === undefined) throw new Error('the topic is not exported');
    topicExport = exported.Export.Name;
    const stacks = [real.monitoring, real.workflows, real.api, real.billing].filter(
      (stack): stack is NonNullable<typeof stack> => stack !== undefined,
    );
    watched = stacks.map((stack) => ({ stack, template: Template.fromStack(stack) }));
  });
  afterAll(() => {
    real?.dispose();
  });

  /** Every function of the app, with the stack it lives in. */
  function everyFunction(): Array<{ stack: Stack; fn: SliceFunction }> {
    return [real.api, real.workflows, real.billing].flatMap((stack) =>
      stack === undefined ? [] : [...stack.functions.values()].map((fn) => ({ stack, fn })),
    );
  }

  it('notifies one topic, encrypted with a key CloudWatch may use, TLS only', () => {
    monitoring.resourceCountIs('AWS::SNS::Topic', 1);
    monitoring.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmTopicKey'), 'Arn'] },
    });
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([denyWithoutTls({ Action: 'sns:Publish' })]),
      },
    });
    monitoring.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    for (const { stack } of watched.slice(1)) {
      Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
    }
  });

  it('names the topic to subscribe to and the dashboard in its outputs', () => {
    monitoring.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
    monitoring.hasOutput('DashboardName', {
      Value: { Ref: Match.stringLikeRegexp('Dashboard') },
    });
  });

  it('sends every alarm, and its return to OK, to that topic and nowhere else', () => {
    let alarms = 0;
    for (const { stack, template } of watched) {
      const topic =
        stack === real.monitoring ? { Ref: topicId } : { 'Fn::ImportValue': topicExport };
      const found = template.findResources('AWS::CloudWatch::Alarm');
      alarms += Object.keys(found).length;
      template.allResourcesProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [topic],
        OKActions: [topic],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }

    const functions = everyFunction().length;
    // The reconcile rule's, the billing schedules', the policies' schedules' and the outbox Pipe's.
    const deadLetterQueues = 4;
    expect(alarms).toBe(
      3 * REAL_CATALOG.workflows.length + 1 + 2 * functions + 2 + deadLetterQueues,
    );
  });

  it('alarms on the executions of each state machine that fail, time out or are aborted', () => {
    for (const workflow of REAL_CATALOG.workflows) {
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
        const matching = Object.values(
          monitoring.findResources('AWS::CloudWatch::Alarm', {
            Properties: { Namespace: 'AWS/States', MetricName: metricName, Statistic: 'Sum' },
          }),
        ).filter((alarm) => {
          const [dimension] = alarm.Properties.Dimensions as Array<{
            Name: string;
            Value: unknown;
          }>;
          return (
            dimension?.Name === 'StateMachineArn' &&
            renderCfnString(dimension.Value) === stateMachineArnOf(workflow.name)
          );
        });

        expect(matching, `${metricName} of ${workflow.name}`).toHaveLength(1);
        expect(matching[0]?.Properties).toMatchObject({
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: ALARM_THRESHOLD.executionsEndedBadly,
        });
      }
    }
  });

  it('alarms on the errors and throttles of every function, beside it', () => {
    for (const { stack, fn } of everyFunction()) {
      const template = Template.fromStack(stack);
      const functionName = { Ref: logicalId(stack, fn.lambdaFunction) };
      for (const metricName of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: functionName }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
        });
      }
    }
  });

  it("alarms on the API's 5xx answers and its p99 latency", () => {
    const api = Template.fromStack(real.api);
    const apiId = { Ref: logicalId(real.api, real.api.httpApi) };

    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: apiId }],
      Statistic: 'Sum',
      Threshold: ALARM_THRESHOLD.api5xx,
    });
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: [{ Name: 'ApiId', Value: apiId }],
      ExtendedStatistic: 'p99',
      Threshold: ALARM_THRESHOLD.apiP99LatencyMs,
      EvaluationPeriods: 3,
    });
  });

  it('alarms on the first message in each dead-letter queue', () => {
    const queues = [real.workflows.deadLetterQueue, real.billing?.deadLetterQueue];
    for (const [index, stack] of [real.workflows, real.billing].entries()) {
      const queue = queues[index]?.queue;
      if (stack === undefined || queue === undefined) throw new Error('no dead-letter queue');
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, queue), 'QueueName'] } },
        ],
        Statistic: 'Maximum',
        Threshold: ALARM_THRESHOLD.deadLetters,
      });
    }
  });

  it('counts the operations reconciled, on their event or by the sweep, and alarms on any', () => {
    const reconciler = real.workflows.functions.get(RECONCILERS.onStatusChange);
    const sweep = real.billing?.functions.get(RECONCILERS.sweep);
    if (reconciler === undefined || sweep === undefined || real.billing === undefined) {
      throw new Error('no reconciler or sweep');
    }

    expectCountingFilter(
      real.workflows,
      reconciler.logGroup,
      '{ $.message = "operation reconciled" }',
      OPERATIONS_METRIC.operationsReconciled,
    );
    expectCountingFilter(
      real.billing,
      sweep.logGroup,
      '{ ($.message = "operations swept") && ($.reconciled[0] = "*") }',
      OPERATIONS_METRIC.sweepsThatReconciled,
    );
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: ALARM_THRESHOLD.operationsReconciled,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(events, 0) + FILL(sweeps, 0)', ReturnData: true }),
        Match.objectLike({
          Id: 'events',
          MetricStat: Match.objectLike({
            Metric: { Namespace: METRICS_NAMESPACE, MetricName: 'OperationsReconciled' },
            Stat: 'Sum',
          }),
        }),
        Match.objectLike({
          Id: 'sweeps',
          MetricStat: Match.objectLike({
            Metric: { Namespace: METRICS_NAMESPACE, MetricName: 'SweepsThatReconciled' },
            Stat: 'Sum',
          }),
        }),
      ]),
    });
  });

  it('counts the log lines the handlers really write', () => {
    const source = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

    expect(source('functions/reconcile-operation.ts')).toContain(
      `logger.warn('${COUNTED_LOG_MESSAGES.operationReconciled}'`,
    );
    expect(source('functions/sweep-operations.ts')).toContain(
      `logger.warn('${COUNTED_LOG_MESSAGES.operationsSwept}', { ...report })`,
    );
    expect(source('core/use-cases/sweep-operations.ts')).toMatch(
      /readonly reconciled: readonly string\[\];[\s\S]*readonly failed: ReadonlyArray<\{ readonly operationId: string/,
    );
    expect(source('functions/shared/workflow-task.ts')).toContain(
      `logger.warn('${COUNTED_LOG_MESSAGES.taskFailed}'`,
    );
  });

  it('sums the bytes of the snapshots made available, from their events on the bus', () => {
    const logGroupId = Object.keys(monitoring.findResources('AWS::Logs::LogGroup')).find((id) =>
      id.includes('SnapshotsAvailable'),
    );
    if (logGroupId === undefined) throw new Error('no log group for Snapshot Available');

    monitoring.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { 'Fn::ImportValue': Match.stringLikeRegexp('^SliceSnapshotsData:') },
      EventPattern: { source: ['slice-snapshots'], 'detail-type': ['Snapshot Available'] },
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::Join': ['', Match.arrayWith([':log-group:', { Ref: logGroupId }])],
          },
        }),
      ],
    });
    const [policy] = Object.values(monitoring.findResources('AWS::Logs::ResourcePolicy'));
    expect(JSON.parse(renderCfnString(policy?.Properties.PolicyDocument))).toEqual({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `<${logGroupId}.Arn>`,
        },
      ],
      Version: '2012-10-17',
    });
    monitoring.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logGroupId },
      MetricTransformations: [
        {
          MetricNamespace: METRICS_NAMESPACE,
          MetricName: OPERATIONS_METRIC.snapshotBytesAvailable,
          MetricValue: '$.detail.sizeBytes',
          Unit: 'Bytes',
        },
      ],
    });
  });

  it('draws one dashboard with the success rate, duration, snapshot bytes and reconciler', () => {
    const dashboards = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard'));
    const [dashboard] = dashboards;
    const body = renderCfnString(dashboard?.Properties.DashboardBody);
    const widgets = (JSON.parse(body) as { widgets: Array<{ properties: { title: string } }> })
      .widgets;

    expect(dashboards).toHaveLength(1);
    expect(widgets.map((widget) => widget.properties.title)).toEqual(
      Object.values(DASHBOARD_WIDGET),
    );
    for (const workflow of REAL_CATALOG.workflows) {
      expect(body).toContain(stateMachineArnOf(workflow.name));
    }
    expect(body).toContain(OPERATIONS_METRIC.snapshotBytesAvailable);
    expect(body).toContain(OPERATIONS_METRIC.operationsReconciled);
    expect(body).toContain(OPERATIONS_METRIC.sweepsThatReconciled);
  });

  it('imports nothing from the stacks it watches, so none of them exports anything to it', () => {
    const text = JSON.stringify(monitoring.toJSON());
    const imports = [...text.matchAll(/"Fn::ImportValue":"([^":]+):/g)].map((match) => match[1]);

    expect(new Set(imports)).toEqual(new Set(['SliceSnapshotsData']));
    expect(real.monitoring.dependencies.map((stack) => stack.stackName)).toEqual([
      'SliceSnapshotsData',
    ]);
    for (const stack of [real.workflows, real.api, real.billing]) {
      expect(stack?.dependencies).toContain(real.monitoring);
    }
  });
});
