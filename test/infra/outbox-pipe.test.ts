import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OUTBOX_PARTITION_PREFIX } from '../../blueprint/facts.ts';
import { appForDescribe, REAL_CATALOG, templateForDescribe } from './support/synth.ts';

describe('OutboxPipe', () => {
  const built = appForDescribe(REAL_CATALOG);
  const workflows = templateForDescribe(() => built.workflows);
  const data = templateForDescribe(() => built.data);

  it('gives the table a stream of new images', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('pipes only new outbox items from the stream to the bus, each as the event it holds', () => {
    workflows.hasResourceProperties('AWS::Pipes::Pipe', {
      Source: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') }),
      SourceParameters: {
        DynamoDBStreamParameters: Match.objectLike({
          StartingPosition: 'TRIM_HORIZON',
          OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_PARTITION_PREFIX }] } } },
              }),
            },
          ],
        },
      },
      Target: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('EventBus') }),
      TargetParameters: {
        EventBridgeEventBusParameters: {
          Source: '$.dynamodb.NewImage.source.S',
          DetailType: '$.dynamodb.NewImage.detailType.S',
        },
        InputTemplate: '<$.dynamodb.NewImage.detail.S>',
      },
    });
  });

  it('sends what it gives up on to its dead-letter queue, and alarms on it to the topic', () => {
    const queue = built.workflows.outbox.deadLetterQueue.queue;
    const queueId = built.workflows.getLogicalId(queue.node.defaultChild as CfnElement);

    workflows.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: Match.objectLike({
        DynamoDBStreamParameters: Match.objectLike({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        }),
      }),
    });
    workflows.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      AlarmActions: [Match.objectLike({ 'Fn::ImportValue': Match.anyValue() })],
    });
  });

  it('lets its role read the stream, put on the bus and send to its queue, nothing more', () => {
    const roles = workflows.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'pipes.amazonaws.com' } })],
        },
      },
    });
    const [role] = Object.values(roles) as Array<{
      Properties: {
        Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: unknown }> } }>;
      };
    }>;

    expect(Object.keys(roles)).toHaveLength(1);
    const actions = role?.Properties.Policies.flatMap((policy) =>
      policy.PolicyDocument.Statement.flatMap((statement) => [statement.Action].flat()),
    );
    expect(actions?.sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'events:PutEvents',
      'sqs:SendMessage',
    ]);
  });

  it('is the only one allowed to put events on the bus: functions write theirs to the outbox', () => {
    const stacks = [built.data, built.api, built.workflows, built.monitoring, built.billing];
    const holders = stacks.flatMap((stack) => {
      if (stack === undefined) return [];
      const template = Template.fromStack(stack).toJSON() as {
        Resources: Record<string, { Type: string; Properties?: unknown }>;
      };
      return Object.entries(template.Resources)
        .filter(([, resource]) =>
          JSON.stringify(resource.Properties ?? {}).includes('events:PutEvents'),
        )
        .map(([id, resource]) => `${stack.stackName}/${resource.Type}/${id}`);
    });

    expect(holders).toEqual([expect.stringMatching(/\/AWS::IAM::Role\/OutboxRole/)]);
  });
});
