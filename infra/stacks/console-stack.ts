import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { CONSOLE_PERMISSIONS_POLICY, consoleContentSecurityPolicy } from '../../blueprint/facts.ts';
import { acknowledgeBucketDeployments } from '../console/bucket-deployment-findings.ts';
import { SPA_FALLBACK_CODE } from '../console/spa-fallback.ts';
import { accessLogsBucket } from '../constructs/access-logs-bucket.ts';
import { hostedUiUrl } from '../constructs/console-sign-in.ts';

/** What the console's build holds that is not the site: the stamp of the sources it was built from. */
const NOT_DEPLOYED = ['build-stamp.json'];

export interface ConsoleStackProps extends StackProps {
  /** The built console (`console/dist`): index.html and its hashed assets. */
  readonly assetsDirectory: string;
  /** The hosted UI's domain prefix (the API stack makes the domain): the console may call it. */
  readonly hostedUiDomainPrefix: string;
}

/**
 * The web console: its build in a private bucket, served only through CloudFront (origin access
 * control), over HTTPS only, with strict security headers, every address of the app answered
 * with index.html. It deploys before the API, whose sign-in client and CORS name its address;
 * the API's address and the sign-in settings reach it in config.json (ConsoleConfigStack).
 */
export class ConsoleStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);

    const logs = accessLogsBucket(this, { deliveredWithAcl: true });

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // The build is in the repository: the bucket holds nothing that cannot be deployed again.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: "The console's security headers (blueprint/facts.ts, the same as npm start's)",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API is reached on its execute-api address, made after this stack; the hosted UI
          // on the domain the API stack creates with this prefix.
          contentSecurityPolicy: consoleContentSecurityPolicy([
            `https://*.execute-api.${this.region}.amazonaws.com`,
            hostedUiUrl(this, props.hostedUiDomainPrefix),
          ]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: CONSOLE_PERMISSIONS_POLICY, override: true },
        ],
      },
    });

    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      comment: "Every address of the console's single-page app is its index.html",
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK_CODE),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Slice snapshots web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          { function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'The console is for every country the provider serves; access is decided at sign-in.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only, no server logic behind them: the API has its own throttling and authorizer, and a web ACL for CloudFront would live in us-east-1 apart from this app.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        "The default CloudFront certificate (*.cloudfront.net) sets the TLS policy; a custom domain with its own certificate and TLSv1.2_2021 is the operator's choice.",
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // Hashed assets first (kept across deployments, for pages still open), then index.html,
    // which names them: a page never refers to an asset not yet there.
    const assets = new deploy.BucketDeployment(this, 'Assets', {
      sources: [
        deploy.Source.asset(props.assetsDirectory, { exclude: ['index.html', ...NOT_DEPLOYED] }),
      ],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    // index.html, like config.json, is revalidated by browsers and kept by CloudFront for its
    // cache policy's minimum (1 s): a deployment shows without an invalidation.
    const pages = new deploy.BucketDeployment(this, 'Pages', {
      sources: [deploy.Source.asset(props.assetsDirectory, { exclude: ['*', '!index.html'] })],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [deploy.CacheControl.noCache()],
    });
    pages.node.addDependency(assets);
    acknowledgeBucketDeployments(this, this.bucket.bucketArn);

    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: 'The web console' });
  }
}
