import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CONSOLE_SIGN_IN_CALLBACK_PATH } from '../../blueprint/facts.ts';
import { SPA_FALLBACK_CODE } from '../../infra/console/spa-fallback.ts';
import {
  appForDescribe,
  type buildApp,
  denyWithoutTls,
  REAL_CATALOG,
  renderCfnString,
  templateForDescribe,
} from './support/synth.ts';

type Built = ReturnType<typeof buildApp>;

/** The CloudFront Function as CloudFront runs it: the handler of its code, on a viewer request. */
function spaFallback(uri: string): string {
  const handler = new Function(`${SPA_FALLBACK_CODE}\nreturn handler;`)() as (event: {
    request: { uri: string };
  }) => { uri: string };
  return handler({ request: { uri } }).uri;
}

describe('the console in AWS', () => {
  const built = appForDescribe(REAL_CATALOG);
  const site = templateForDescribe(() => built.console);
  const api = templateForDescribe(() => built.api);
  const config = templateForDescribe(() => built.consoleConfig);

  const logicalId = (stack: Built['console'], construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);

  describe('ConsoleStack', () => {
    it('keeps the build in a private, encrypted, TLS-only bucket', () => {
      site.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'site/' }),
      });
    });

    it('lets only this distribution read the bucket, through origin access control', () => {
      const bucket = logicalId(built.console, built.console.bucket);
      const distribution = logicalId(built.console, built.console.distribution);

      site.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      });
      site.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            denyWithoutTls(),
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'AWS:SourceArn': Match.objectLike({
                    'Fn::Join': ['', Match.arrayWith([{ Ref: distribution }])],
                  }),
                },
              },
            }),
          ]),
        },
      });
    });

    it('serves over HTTPS only, logged, with the SPA fallback on every viewer request', () => {
      site.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'https-only',
            FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
          }),
          Origins: [
            Match.objectLike({
              OriginAccessControlId: Match.anyValue(),
              S3OriginConfig: { OriginAccessIdentity: '' },
            }),
          ],
        }),
      });
      site.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: SPA_FALLBACK_CODE,
        FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      });
    });

    it('answers index.html for every address of the app, and files as they are', () => {
      expect(spaFallback('/')).toBe('/index.html');
      expect(spaFallback('/snapshots')).toBe('/index.html');
      expect(spaFallback('/operations/op_01JD3QY8W7T2B6G0ZC4M9X5K1E')).toBe('/index.html');
      expect(spaFallback(CONSOLE_SIGN_IN_CALLBACK_PATH)).toBe('/index.html');
      expect(spaFallback('/assets/index-Cb5_CObZ.js')).toBe('/assets/index-Cb5_CObZ.js');
      expect(spaFallback('/config.json')).toBe('/config.json');
    });

    it('sends a strict Content-Security-Policy and the other security headers', () => {
      const policies = site.findResources('AWS::CloudFront::ResponseHeadersPolicy');
      const [policy] = Object.values(policies);
      const security = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);

      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain('.execute-api.');
      expect(csp).toContain('.amazoncognito.com');
      expect(security).toMatchObject({
        StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY' },
        ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      });
    });

    it('deploys the hashed assets as immutable, then index.html revalidated, keeping old assets', () => {
      const deployments = Object.values(site.findResources('Custom::CDKBucketDeployment'));
      const byCache = Object.fromEntries(
        deployments.map((each) => [
          String(each.Properties.SystemMetadata?.['cache-control']),
          each.Properties,
        ]),
      );

      expect(Object.keys(byCache).sort()).toEqual([
        'no-cache',
        'public, max-age=31536000, immutable',
      ]);
      for (const each of deployments) expect(each.Properties.Prune).toBe(false);
      const [pages] = Object.entries(site.findResources('Custom::CDKBucketDeployment')).filter(
        ([, each]) => each.Properties.SystemMetadata?.['cache-control'] === 'no-cache',
      );
      expect(pages?.[1].DependsOn).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Assets/)]),
      );
      site.hasOutput('ConsoleUrl', Match.anyValue());
    });
  });

  describe('sign-in', () => {
    it('gives the console a public client of the hosted UI: authorization code only, back to the console', () => {
      const distribution = logicalId(built.console, built.console.distribution);

      api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        CallbackURLs: [
          {
            'Fn::Join': [
              '',
              [
                'https://',
                { 'Fn::ImportValue': Match.stringLikeRegexp(`${distribution}DomainName`) },
                CONSOLE_SIGN_IN_CALLBACK_PATH,
              ],
            ],
          },
        ],
      });
      api.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: { 'Fn::Join': ['', ['slice-snapshots-', { Ref: 'AWS::AccountId' }]] },
      });
    });

    it('lets the console call the API from its origin only', () => {
      api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
          AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
          AllowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
          ExposeHeaders: ['retry-after'],
        },
      });
    });
  });

  describe('ConsoleConfigStack', () => {
    it("writes config.json with the API's address and the hosted UI's settings, and only that key", () => {
      const [writer] = Object.values(config.findResources('Custom::AWS'));
      const call = JSON.parse(renderCfnString(writer?.Properties.Create)) as {
        action: string;
        parameters: { Key: string; CacheControl: string; Body: string };
      };
      const written = JSON.parse(call.parameters.Body);

      expect(call.action).toBe('putObject');
      expect(call.parameters).toMatchObject({ Key: 'config.json', CacheControl: 'no-cache' });
      expect(written).toEqual({
        apiUrl: expect.stringMatching(
          /^https:\/\/<Import:SliceSnapshotsApi:.*HttpApi.*>\.execute-api\./,
        ),
        auth: {
          kind: 'cognito',
          domain: 'https://slice-snapshots-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com',
          issuer: expect.stringMatching(
            /^https:\/\/cognito-idp\.<AWS::Region>\.amazonaws\.com\/<Import:SliceSnapshotsApi:.*UserPool.*>$/,
          ),
          clientId: expect.stringMatching(/^<Import:SliceSnapshotsApi:.*ConsoleClient.*>$/),
        },
      });
      config.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 's3:PutObject',
              Effect: 'Allow',
              Resource: {
                'Fn::Join': [
                  '',
                  [Match.objectLike({ 'Fn::ImportValue': Match.anyValue() }), '/config.json'],
                ],
              },
            },
          ],
        },
      });
    });
  });
});
