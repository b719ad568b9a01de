import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** What lands in it, for the alarm and the dashboard: `reconcile rule target`. */
  readonly description: string;
  /** A fixed name, for a queue whose ARN functions in another stack must know. */
  readonly queueName?: string;
}

/** How long a message that could not be delivered is kept for an operator to look at. */
const RETENTION = Duration.days(14);

/**
 * An SQS queue that keeps what an asynchronous delivery gave up on (an EventBridge rule's or a
 * schedule's target, the outbox's Pipe): encrypted, TLS only, kept 14 days. The monitoring
 * stack alarms on its first visible message; anything that hands it messages must be given to
 * `OperationsMonitoring` through `deadLetterQueues`.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly description: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.description = props.description;
    this.queue = new sqs.Queue(this, 'Queue', {
      // SQS-managed keys: EventBridge and Scheduler can write without a key policy to maintain.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RETENTION,
      ...(props.queueName ? { queueName: props.queueName } : {}),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.description}).`,
    });
  }
}
