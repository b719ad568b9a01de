import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * A stack's bucket of access logs, kept a year and retained with the stack. Log delivery supports
 * SSE-S3 only, not KMS. `deliveredWithAcl`: CloudFront's standard logs arrive with an ACL, which
 * the bucket must then accept; S3 server access logs do not need one.
 */
export function accessLogsBucket(
  scope: Construct,
  options: { readonly deliveredWithAcl: boolean },
): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogsBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: options.deliveredWithAcl
      ? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED
      : s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket receives the access logs; logging it to itself would loop.',
  });
  return bucket;
}
