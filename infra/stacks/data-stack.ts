import {
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../blueprint/facts.ts';
import { accessLogsBucket } from '../constructs/access-logs-bucket.ts';
import { DataAccessPolicies } from '../constructs/data-access-policies.ts';
import type { ServedRegion, SharedResources } from '../constructs/shared-resources.ts';

/** The registry's starting value: `{ callbackUrl, hosts: [{ id, region, url, secret }] }`, empty. */
export const EMPTY_HOST_REGISTRY = JSON.stringify({ callbackUrl: '', hosts: [] });

export interface DataStackProps extends StackProps {
  /** Name of the event bus users put their rules on. */
  readonly eventBusName: string;
  /** The `source` of the backend's events: the archive keeps all of them. */
  readonly eventSource: string;
  /** The regions served: each gets its own images bucket. */
  readonly regions: readonly ServedRegion[];
}

/**
 * The construct id of a region's images bucket. The first region keeps the id the single bucket
 * had before regions had their own, so a deployment that had one keeps its bucket and its images.
 */
function imagesBucketId(regionId: string, index: number): string {
  if (index === 0) return 'ImagesBucket';
  const pascal = regionId
    .split(/[^A-Za-z0-9]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `ImagesBucket${pascal}`;
}

/**
 * Where the data lives: the table, the images bucket, the event bus, the host registry and the
 * key that signs list cursors.
 */
export class DataStack extends Stack {
  readonly resources: SharedResources;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    // Access log delivery through a bucket policy, not the legacy log-delivery ACL, so both
    // buckets keep ACLs disabled. Set here, before any bucket exists, so the stack never depends
    // on the app's context for it.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE_DESIGN.ttlAttribute,
      // The outbox's items reach the bus from here (OutboxPipe, in the workflows stack).
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_DESIGN.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      });
    }

    const accessLogs = accessLogsBucket(this, { deliveredWithAcl: false });

    const imagesKey = new kms.Key(this, 'ImagesKey', {
      description: 'Encrypts slice snapshot images (chunks and manifests)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const imagesBuckets = new Map<string, s3.IBucket>();
    props.regions.forEach((region, index) => {
      const bucket = new s3.Bucket(this, imagesBucketId(region.id, index), {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: imagesKey,
        // One data key per bucket instead of per object: chunk-heavy traffic would
        // otherwise call KMS once for every 4 MiB chunk.
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        // Versioning stays off: chunks are content-addressed and never overwritten (a changed
        // chunk is a new key), manifests are written once, and only the chunk collection deletes
        // a chunk, after its grace period. Versions would only keep billing for bytes it freed.
        versioned: false,
        lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `images/${region.id}/`,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      imagesBuckets.set(region.id, bucket);
    });

    const eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: props.eventBusName,
    });
    eventBus.archive('Archive', {
      description: 'Every slice-snapshots event, for replay',
      eventPattern: { source: [props.eventSource] },
      retention: Duration.days(90),
    });

    const hostRegistrySecret = new secretsmanager.Secret(this, 'HostRegistrySecret', {
      description:
        'Host registry: the agent callback URL and each host (id, region, agent URL, signing ' +
        'secret); operators add the hosts (README, Operating)',
      // An empty registry holds no secret material; each host's secret is added by an operator.
      // CloudFormation writes this value only when it changes here, so never change it: it would
      // overwrite the hosts operators registered.
      secretStringValue: SecretValue.unsafePlainText(EMPTY_HOST_REGISTRY),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(hostRegistrySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Signing secrets are shared with host agents; rotating them needs a coordinated agent ' +
        'roll-out, which the registry procedure does by hand rather than a rotation function.',
    });

    const cursorKeySecret = new secretsmanager.Secret(this, 'CursorKeySecret', {
      description: 'Signs list cursors, so a client cannot forge or alter a page position',
      // Generated, so the key never appears in code or templates; functions read it at cold start.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(cursorKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Functions read the key once per cold start; rotating it would invalidate the cursors ' +
        'clients hold and leave warm functions signing with the old key, so an operator rotates ' +
        'it by hand, accepting that in-flight list pages restart.',
    });

    const data = {
      table,
      imagesBuckets,
      imagesKey,
      eventBus,
      hostRegistrySecret,
      cursorKeySecret,
    };
    const access = new DataAccessPolicies(this, 'AccessPolicies', data);
    this.resources = { ...data, access };
  }
}
