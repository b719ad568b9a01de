import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import { Construct } from 'constructs';
import { OUTBOX_PARTITION_PREFIX } from '../../blueprint/facts.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { SharedResources } from './shared-resources.ts';

/** Properties of {@link OutboxPipe}. */
export interface OutboxPipeProps {
  /** The table (with a NEW_IMAGE stream) and the bus its outbox's events go to. */
  readonly resources: Pick<SharedResources, 'table' | 'eventBus'>;
}

/** Attempts on a batch of stream records before its records go to the dead-letter queue. */
const MAXIMUM_RETRY_ATTEMPTS = 10;

/**
 * The outbox relay in AWS: an EventBridge Pipe from the table's stream to the bus. It keeps only
 * new outbox items (INSERT under `OUTBOX#`), so a rewritten or expired item is never told again,
 * and turns each into the event it holds: its `source`, `detailType` and `detail` (JSON text, with
 * the `eventId`). What the Pipe gives up on after its retries lands in a dead-letter queue.
 */
export class OutboxPipe extends Construct {
  readonly pipe: pipes.CfnPipe;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: OutboxPipeProps) {
    super(scope, id);
    const { table, eventBus } = props.resources;
    const streamArn = table.tableStreamArn;
    if (streamArn === undefined) throw new Error('the outbox needs the table to have a stream');

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'outbox events the Pipe could not put on the bus',
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com'),
      description: 'Reads the table stream, puts the outbox events on the bus',
      inlinePolicies: {
        Relay: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: [
                'dynamodb:DescribeStream',
                'dynamodb:GetRecords',
                'dynamodb:GetShardIterator',
                'dynamodb:ListStreams',
              ],
              resources: [streamArn],
            }),
            new iam.PolicyStatement({
              actions: ['events:PutEvents'],
              resources: [eventBus.eventBusArn],
            }),
            new iam.PolicyStatement({
              actions: ['sqs:SendMessage'],
              resources: [this.deadLetterQueue.queue.queueArn],
            }),
          ],
        }),
      },
    });

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      description: 'Puts each new outbox item of the table on the event bus',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumRetryAttempts: MAXIMUM_RETRY_ATTEMPTS,
          // A record that keeps failing is split out of its batch, so the others still go.
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.deadLetterQueue.queue.queueArn },
        },
        filterCriteria: {
          filters: [
            {
              pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_PARTITION_PREFIX }] } } },
              }),
            },
          ],
        },
      },
      target: eventBus.eventBusArn,
      targetParameters: {
        eventBridgeEventBusParameters: {
          source: '$.dynamodb.NewImage.source.S',
          detailType: '$.dynamodb.NewImage.detailType.S',
        },
        // The stored detail is the event's JSON text: inserted as is, it is the event's detail.
        inputTemplate: '<$.dynamodb.NewImage.detail.S>',
      },
    });
  }
}
