import { DefaultStackSynthesizer, type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag-findings.ts';

/** The id prefix of the function CDK adds, once per stack, for its BucketDeployments. */
const DEPLOYMENT_FUNCTION_ID = 'Custom::CDKBucketDeployment';

/** Where the CLI stages file assets (the default synthesizer's bucket), as cdk-nag names it. */
const STAGING_OBJECTS = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;

/**
 * Acknowledges, precisely, cdk-nag's findings on the function CDK adds to a stack for its
 * BucketDeployments (one per stack, whatever their number): call once they exist, with the ARN
 * of the bucket they write to. It copies the staged build into that bucket, with CDK's own
 * role and runtime.
 */
export function acknowledgeBucketDeployments(stack: Stack, bucketArn: string): void {
  const deployer = stack.node.children.find((child) =>
    child.node.id.startsWith(DEPLOYMENT_FUNCTION_ID),
  );
  if (!deployer) throw new Error(`${stack.stackName} has no BucketDeployment`);
  acknowledge(deployer, 'AwsSolutions-L1', "CDK's BucketDeployment chooses its own runtime.");
  acknowledge(
    deployer,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's BucketDeployment role writes its logs with the AWS managed basic execution policy.",
  );
  for (const action of [
    's3:GetBucket*',
    's3:GetObject*',
    's3:List*',
    's3:Abort*',
    's3:DeleteObject*',
  ]) {
    acknowledge(
      deployer,
      `AwsSolutions-IAM5[Action::${action}]`,
      'The read and write grants CDK gives a BucketDeployment on its source and destination buckets.',
    );
  }
  acknowledge(
    deployer,
    `AwsSolutions-IAM5[Resource::${STAGING_OBJECTS}]`,
    'It reads the staged build from the CLI staging bucket, whose keys are content hashes.',
  );
  acknowledgeWildcardResource(
    deployer,
    `${bucketArn}/*`,
    "It writes the console's files, whatever their hashed names, into the console's bucket.",
  );
}

function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}
