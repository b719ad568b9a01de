import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { ConsoleConfig } from '../../blueprint/facts.ts';

/** The object the console reads at every start. */
export const CONSOLE_CONFIG_KEY = 'config.json';

export interface ConsoleConfigStackProps extends StackProps {
  /** The console stack's bucket. */
  readonly bucket: s3.IBucket;
  /** Where the API is and how users sign in (the API stack's values). */
  readonly config: ConsoleConfig;
}

/**
 * The console's `/config.json`: the API's address and the hosted UI's settings, written into the
 * console's bucket once the API exists (the console stack deploys before the API, whose sign-in
 * client and CORS name the console's address). One PutObject of that one key, written again
 * whenever the values change; never cached, so a deployment shows at the next page load.
 */
export class ConsoleConfigStack extends Stack {
  readonly writer: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: ConsoleConfigStackProps) {
    super(scope, id, props);
    const putConfig: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putObject',
      parameters: {
        Bucket: props.bucket.bucketName,
        Key: CONSOLE_CONFIG_KEY,
        Body: this.toJsonString(props.config),
        ContentType: 'application/json',
        CacheControl: 'no-cache',
      },
      physicalResourceId: cr.PhysicalResourceId.of(CONSOLE_CONFIG_KEY),
    };
    this.writer = new cr.AwsCustomResource(this, 'ConfigJson', {
      onCreate: putConfig,
      onUpdate: putConfig,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(CONSOLE_CONFIG_KEY)],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    const provider = this.node.children.find((child) =>
      child.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    );
    if (!provider) throw new Error('the AwsCustomResource provider function is missing');
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "CDK's AwsCustomResource provider chooses its own runtime.",
    });
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's AwsCustomResource provider writes its logs with the AWS managed basic execution policy.",
    });
  }
}
