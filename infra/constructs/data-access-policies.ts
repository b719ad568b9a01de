import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  COMMAND_CONTEXT_PARTITION_PREFIX,
  NONCE_PARTITION_PREFIX,
  RATE_LIMIT_PARTITION_PREFIX,
} from '../../blueprint/facts.ts';
import { acknowledgeWildcardResource } from '../nag-findings.ts';

/** Properties of {@link DataAccessPolicies}. */
export interface DataAccessPoliciesProps {
  readonly table: dynamodb.ITable;
  readonly imagesBuckets: ReadonlyMap<string, s3.IBucket>;
  readonly imagesKey: kms.IKey;
  readonly hostRegistrySecret: secretsmanager.ISecret;
  readonly cursorKeySecret: secretsmanager.ISecret;
}

/** The access levels a function role can be given to the data, one managed policy each. */
export interface DataAccess {
  readonly tableRead: iam.IManagedPolicy;
  /** Includes reading. */
  readonly tableWrite: iam.IManagedPolicy;
  readonly imagesRead: iam.IManagedPolicy;
  /** Includes reading. */
  readonly imagesWrite: iam.IManagedPolicy;
  /** Includes reading and writing. */
  readonly imagesDelete: iam.IManagedPolicy;
  readonly hostSecretsRead: iam.IManagedPolicy;
  readonly cursorKeyRead: iam.IManagedPolicy;
  /** Puts agent callback nonces, and no other item, in the table. */
  readonly callbackNoncesWrite: iam.IManagedPolicy;
  /** Puts agent command contexts, and no other item, in the table. */
  readonly commandContextsWrite: iam.IManagedPolicy;
  /** Reads single items and updates them in place: no put, delete, query or scan. */
  readonly progressWrite: iam.IManagedPolicy;
  /** Updates request token buckets, and no other item, in the table. */
  readonly rateLimitWrite: iam.IManagedPolicy;
}

const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  // Transactions check conditions item by item.
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE_ACTIONS = [
  ...TABLE_READ_ACTIONS,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const IMAGES_READ_ACTIONS = ['s3:GetObject'];
const IMAGES_WRITE_ACTIONS = [...IMAGES_READ_ACTIONS, 's3:PutObject', 's3:AbortMultipartUpload'];
const IMAGES_DELETE_ACTIONS = [...IMAGES_WRITE_ACTIONS, 's3:DeleteObject'];
const KEY_READ_ACTIONS = ['kms:Decrypt'];
const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
// Multipart uploads decrypt the parts they assemble, so writers need Decrypt as well.
const KEY_WRITE_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/**
 * The data's access policies, defined once beside the data they govern. Function roles in the
 * other stacks attach exactly the ones their catalog entry asks for. Keeping the statements here
 * also keeps their resource ARNs local references, so each wildcard they need (objects, indexes)
 * is acknowledged once, precisely, instead of once per role through cross-stack imports.
 */
export class DataAccessPolicies extends Construct implements DataAccess {
  readonly tableRead: iam.ManagedPolicy;
  readonly tableWrite: iam.ManagedPolicy;
  readonly imagesRead: iam.ManagedPolicy;
  readonly imagesWrite: iam.ManagedPolicy;
  readonly imagesDelete: iam.ManagedPolicy;
  readonly hostSecretsRead: iam.ManagedPolicy;
  readonly cursorKeyRead: iam.ManagedPolicy;
  readonly callbackNoncesWrite: iam.ManagedPolicy;
  readonly commandContextsWrite: iam.ManagedPolicy;
  readonly progressWrite: iam.ManagedPolicy;
  readonly rateLimitWrite: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: DataAccessPoliciesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const tableArn = props.table.tableArn;
    const indexes = `${tableArn}/index/*`;
    const tableResources = [tableArn, indexes];

    this.tableRead = this.policy('TableRead', 'Reads the table and its indexes', [
      new iam.PolicyStatement({ actions: TABLE_READ_ACTIONS, resources: tableResources }),
    ]);
    this.tableWrite = this.policy('TableWrite', 'Reads and writes the table', [
      new iam.PolicyStatement({ actions: TABLE_WRITE_ACTIONS, resources: tableResources }),
    ]);
    for (const policy of [this.tableRead, this.tableWrite]) {
      acknowledgeWildcardResource(policy, indexes, 'Queries reach the indexes of the one table.');
    }

    const buckets = [...props.imagesBuckets.values()];
    const keyUse = (actions: string[]) =>
      new iam.PolicyStatement({
        actions,
        resources: [props.imagesKey.keyArn],
        // The key serves S3 requests only, never direct KMS calls from a function.
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      });
    const imagesPolicy = (
      id: string,
      description: string,
      objectActions: string[],
      keyActions: string[],
    ) =>
      this.policy(id, description, [
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: buckets.map((bucket) => bucket.bucketArn),
        }),
        new iam.PolicyStatement({
          actions: objectActions,
          resources: buckets.map((bucket) => bucket.arnForObjects('*')),
        }),
        keyUse(keyActions),
      ]);
    this.imagesRead = imagesPolicy(
      'ImagesRead',
      'Reads snapshot images',
      IMAGES_READ_ACTIONS,
      KEY_READ_ACTIONS,
    );
    this.imagesWrite = imagesPolicy(
      'ImagesWrite',
      'Reads and writes snapshot images',
      IMAGES_WRITE_ACTIONS,
      KEY_WRITE_ACTIONS,
    );
    this.imagesDelete = imagesPolicy(
      'ImagesDelete',
      'Reads, writes and deletes snapshot images',
      IMAGES_DELETE_ACTIONS,
      KEY_WRITE_ACTIONS,
    );
    for (const policy of [this.imagesRead, this.imagesWrite, this.imagesDelete]) {
      for (const bucket of buckets) {
        acknowledgeWildcardResource(
          policy,
          bucket.arnForObjects('*'),
          'Image objects are keyed by account and content hash, known only at run time; the ' +
            'application confines each request to its account prefix.',
        );
      }
    }

    const secretRead = (secret: secretsmanager.ISecret) =>
      new iam.PolicyStatement({ actions: SECRET_READ_ACTIONS, resources: [secret.secretArn] });
    this.hostSecretsRead = this.policy('HostSecretsRead', 'Reads the host registry secret', [
      secretRead(props.hostRegistrySecret),
    ]);
    this.cursorKeyRead = this.policy('CursorKeyRead', 'Reads the key that signs list cursors', [
      secretRead(props.cursorKeySecret),
    ]);
    this.callbackNoncesWrite = this.policy(
      'CallbackNoncesWrite',
      'Claims agent callback nonces: conditional puts of nonce items, no other item',
      [
        new iam.PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${NONCE_PARTITION_PREFIX}*`] },
          },
        }),
      ],
    );
    this.commandContextsWrite = this.policy(
      'CommandContextsWrite',
      'Records what agent commands report progress on: puts of command context items, no other item',
      [
        new iam.PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [`${COMMAND_CONTEXT_PARTITION_PREFIX}*`],
            },
          },
        }),
      ],
    );
    this.progressWrite = this.policy(
      'ProgressWrite',
      'Reads items one by one and updates them in place (progress of operations and snapshots)',
      [
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: [tableArn],
        }),
      ],
    );
    this.rateLimitWrite = this.policy(
      'RateLimitWrite',
      'Spends request tokens: conditional updates of token bucket items, no other item',
      [
        new iam.PolicyStatement({
          actions: ['dynamodb:UpdateItem'],
          resources: [tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [`${RATE_LIMIT_PARTITION_PREFIX}*`],
            },
          },
        }),
      ],
    );
  }

  private policy(id: string, description: string, statements: iam.PolicyStatement[]) {
    return new iam.ManagedPolicy(this, id, { description, statements });
  }
}
