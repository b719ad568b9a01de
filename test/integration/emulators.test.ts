import { Readable } from 'node:stream';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { TABLE_DESIGN } from '../../blueprint/facts.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import { localS3Config } from '../../local/s3.ts';

describe('local emulators', () => {
  it('creates the table with the designed keys, indexes and TTL', async () => {
    const client = localDynamoClient(inject('dynamoEndpoint'));

    const { Table } = await client.send(
      new DescribeTableCommand({ TableName: inject('tableName') }),
    );
    const ttl = await client.send(
      new DescribeTimeToLiveCommand({ TableName: inject('tableName') }),
    );

    expect(Table?.KeySchema?.map((key) => key.AttributeName)).toEqual(['pk', 'sk']);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      TABLE_DESIGN.indexes.map((index) => index.name).sort(),
    );
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(TABLE_DESIGN.ttlAttribute);
    client.destroy();
  });

  it('stores a streamed S3 body byte for byte and pages ListObjectsV2', async () => {
    const s3 = new S3Client(localS3Config(inject('s3Endpoint')));
    const bucket = inject('imagesBucket');
    const body = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);

    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'emulator-check/streamed',
        Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
        ContentLength: body.length,
      }),
    );
    for (let i = 0; i < 3; i++) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `emulator-check/p${i}`, Body: 'x' }),
      );
    }
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'emulator-check/streamed' }),
    );
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    const firstPage = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'emulator-check/', MaxKeys: 2 }),
    );
    const secondPage = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'emulator-check/',
        MaxKeys: 2,
        ContinuationToken: firstPage.NextContinuationToken,
      }),
    );

    expect(bytes.equals(body)).toBe(true);
    expect(firstPage.KeyCount).toBe(2);
    expect(secondPage.KeyCount).toBe(2);
    s3.destroy();
  });
});
