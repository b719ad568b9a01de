import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIONS, TABLE_DESIGN } from '../../blueprint/facts.ts';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import { appForDescribe, denyWithoutTls, templateForDescribe } from './support/synth.ts';

describe('DataStack', () => {
  // The data stack is the same whatever the catalog; the probe one always synthesizes.
  const built = appForDescribe(PROBE_CATALOG);
  const template = templateForDescribe(() => built.data);

  describe('table', () => {
    it('uses the key design of TABLE_DESIGN, on demand', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('declares every index of TABLE_DESIGN', () => {
      const indexes = TABLE_DESIGN.indexes.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      );

      template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: indexes,
      });
    });

    it("keeps the sparse work-queue index whole items: the recycle bin's purge reads snapshots from it", () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
      });
    });

    it('has point-in-time recovery, deletion protection and the TTL attribute', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.ttlAttribute, Enabled: true },
      });
    });

    it('is retained when the stack goes', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('images buckets', () => {
    it('is encrypted with a rotating customer-managed key', () => {
      const keys = template.findResources('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
      });
      const [keyId] = Object.keys(keys);

      expect(Object.keys(keys)).toHaveLength(1);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
              },
            },
          ],
        },
      });
    });

    it('blocks all public access, on every bucket', () => {
      const blocked = template.findResources('AWS::S3::Bucket', {
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        },
      });

      // The access log bucket and one images bucket per region.
      expect(Object.keys(blocked)).toHaveLength(1 + DEFAULT_REGIONS.length);
      template.resourceCountIs('AWS::S3::Bucket', 1 + DEFAULT_REGIONS.length);
    });

    it('refuses requests without TLS, on every bucket', () => {
      const tlsOnly = template.findResources('AWS::S3::BucketPolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              denyWithoutTls({ Action: 's3:*', Principal: { AWS: '*' } }),
            ]),
          },
        },
      });

      expect(Object.keys(tlsOnly)).toHaveLength(1 + DEFAULT_REGIONS.length);
    });

    it('gives each region its own bucket, the first keeping the single bucket it replaced', () => {
      const images = template.findResources('AWS::S3::Bucket', {
        Properties: { LoggingConfiguration: Match.anyValue() },
        DeletionPolicy: 'Retain',
      });
      const ids = Object.keys(images).sort();

      expect(ids).toHaveLength(DEFAULT_REGIONS.length);
      expect(ids[0]).toMatch(/^ImagesBucket[0-9A-F]{8}$/);
      expect(ids[1]).toMatch(/^ImagesBucketNyc1[0-9A-F]{8}$/);
      const prefixes = ids.map(
        (id) => images[id]?.Properties.LoggingConfiguration.LogFilePrefix as string,
      );
      expect(prefixes.sort()).toEqual(DEFAULT_REGIONS.map((region) => `images/${region.id}/`));
    });

    it('expires incomplete multipart uploads after a day and logs access to the log bucket', () => {
      const logBuckets = template.findResources('AWS::S3::Bucket', {
        Properties: { BucketEncryption: Match.anyValue(), LoggingConfiguration: Match.absent() },
      });
      const [logBucketId] = Object.keys(logBuckets);

      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId } },
        VersioningConfiguration: Match.absent(),
      });
    });
  });

  describe('event bus', () => {
    it('is named slice-snapshots and archives its events for 90 days', () => {
      template.hasResourceProperties('AWS::Events::EventBus', { Name: 'slice-snapshots' });
      template.hasResourceProperties('AWS::Events::Archive', {
        EventPattern: { source: ['slice-snapshots'] },
        RetentionDays: 90,
        SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventBus'), 'Arn'] },
      });
    });
  });

  describe('host registry secret', () => {
    it('starts as an empty registry of the documented format, retained', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        Properties: {
          Description: Match.stringLikeRegexp('^Host registry'),
          SecretString: '{"callbackUrl":"","hosts":[]}',
          GenerateSecretString: Match.absent(),
        },
        DeletionPolicy: 'Retain',
      });
    });
  });

  describe('cursor key secret', () => {
    function cursorKeySecretId(): string {
      const secret = built.data.resources.cursorKeySecret;
      return built.data.getLogicalId(secret.node.defaultChild as CfnElement);
    }

    it('holds a generated 64-character string without punctuation, retained', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        Properties: {
          Description: Match.stringLikeRegexp('list cursors'),
          GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
          SecretString: Match.absent(),
        },
        DeletionPolicy: 'Retain',
      });
      expect(template.toJSON().Resources[cursorKeySecretId()].Type).toBe(
        'AWS::SecretsManager::Secret',
      );
    });

    it('is read through a policy of its own, on exactly that secret', () => {
      const policyId = built.data.getLogicalId(
        built.data.resources.access.cursorKeyRead.node.defaultChild as CfnElement,
      );

      expect(template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: { Ref: cursorKeySecretId() },
        },
      ]);
    });
  });
});
