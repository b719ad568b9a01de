import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { DataAccess } from './data-access-policies.ts';

/**
 * The stateful resources of the data stack that functions and workflows are wired to. Every other
 * stack receives them as props, so all cross-stack references point one way: away from the data.
 */
export interface SharedResources {
  readonly table: dynamodb.ITable;
  /** Each served region's images bucket, by region id. */
  readonly imagesBuckets: ReadonlyMap<string, s3.IBucket>;
  /** The customer-managed key that encrypts the images buckets. */
  readonly imagesKey: kms.IKey;
  readonly eventBus: events.IEventBus;
  /** Agents' URLs, regions and signing secrets. */
  readonly hostRegistrySecret: secretsmanager.ISecret;
  /** The key that signs list cursors: a generated string, read by functions at cold start. */
  readonly cursorKeySecret: secretsmanager.ISecret;
  /** The access policies to the above, for function roles to attach. */
  readonly access: DataAccess;
}

/** A region this deployment serves, as `GET /v1/regions` lists it. */
export interface ServedRegion {
  readonly id: string;
  readonly name: string;
}
