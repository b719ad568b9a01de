import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { serializeManifest } from '../../../agent/protocol/manifest.ts';
import { aManifest } from '../../support/records.ts';
import { loadedHandler } from './loaded-handler.ts';
import {
  ACCOUNT,
  aSnapshot,
  BUCKET,
  SNAPSHOT_ID,
  SNAPSHOT_KEY,
  snapshotItem,
  TABLE,
} from './stored-records.ts';

const OPERATION_ID = 'op_01JNZ5Y1Q0000000000000000D';
const OTHER_SNAPSHOT_ID = 'snp_01JNZ5Y1Q0000000000000000E';
const UPLOADS_KEY = { pk: `ACCOUNT#${ACCOUNT}`, sk: 'IMAGE-UPLOADS' };

// Chunk hashes: two only the deleted snapshot names, one both name, one only the other names.
const MINE_FIRST = '1'.repeat(64);
const SHARED = '2'.repeat(64);
const MINE_LAST = '3'.repeat(64);
const ONLY_THEIRS = '4'.repeat(64);
const ONLY_MINE = [MINE_FIRST, MINE_LAST];

const chunkKey = (hash: string) => `${ACCOUNT}/chunks/${hash}`;
const manifestKey = (snapshotId: string) => `${ACCOUNT}/snapshots/${snapshotId}/manifest.json`;

/** A verified manifest as the agent writes it: full chunks, in index order. */
function manifestOf(snapshotId: string, hashes: readonly string[]): string {
  return serializeManifest(aManifest({ accountId: ACCOUNT, snapshotId }, hashes));
}

/** A GetObject answer whose body reads as `text`. */
function objectReading(text: string): Partial<GetObjectCommandOutput> {
  const body = { transformToString: async () => text };
  return { Body: body as unknown as GetObjectCommandOutput['Body'] };
}

describe('workflow-delete-snapshot-image', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  const s3 = mockClient(S3Client);

  const handler = loadedHandler('functions/workflow-delete-snapshot-image.ts');
  beforeEach(() => {
    documents.reset();
    s3.reset();
    const deleting = aSnapshot({
      status: 'deleting',
      deletedAt: '2026-03-10T12:00:00.000Z',
      deletionOperationId: OPERATION_ID,
    });
    documents.on(GetCommand).resolves({});
    documents.on(GetCommand, { Key: SNAPSHOT_KEY }).resolves({ Item: snapshotItem(deleting) });
    documents.on(UpdateCommand).resolves({});
    s3.on(ListObjectsV2Command, { Prefix: `${ACCOUNT}/snapshots/` }).resolves({
      Contents: [
        { Key: manifestKey(SNAPSHOT_ID), LastModified: new Date('2026-03-02T10:20:00Z') },
        { Key: manifestKey(OTHER_SNAPSHOT_ID), LastModified: new Date('2026-03-05T09:00:00Z') },
      ],
      IsTruncated: false,
    });
    s3.on(GetObjectCommand, { Key: manifestKey(SNAPSHOT_ID) }).resolves(
      objectReading(manifestOf(SNAPSHOT_ID, [MINE_FIRST, SHARED, MINE_LAST])),
    );
    s3.on(GetObjectCommand, { Key: manifestKey(OTHER_SNAPSHOT_ID) }).resolves(
      objectReading(manifestOf(OTHER_SNAPSHOT_ID, [SHARED, ONLY_THEIRS])),
    );
    s3.on(DeleteObjectCommand).resolves({});
  });
  afterAll(() => {
    documents.restore();
    s3.restore();
  });

  const deleteImage = () =>
    handler({ accountId: ACCOUNT, snapshotId: SNAPSHOT_ID, operationId: OPERATION_ID });
  const deletedKeys = () =>
    s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key);

  it("deletes the chunks only the snapshot's manifest names and keeps the shared one", async () => {
    const result = await deleteImage();

    const chunks = deletedKeys().filter((key) => key !== manifestKey(SNAPSHOT_ID));
    expect(chunks.sort()).toEqual(ONLY_MINE.map(chunkKey).sort());
    expect(deletedKeys()).not.toContain(chunkKey(SHARED));
    expect(deletedKeys()).not.toContain(chunkKey(ONLY_THEIRS));
    for (const call of s3.commandCalls(DeleteObjectCommand)) {
      expect(call.args[0].input.Bucket).toBe(BUCKET);
    }
    expect(result).toEqual({ deletedChunks: 2, keptChunks: 1 });
  });

  it('deletes the manifest last, once every orphan chunk is deleted', async () => {
    await deleteImage();

    const keys = deletedKeys();
    expect(keys.at(-1)).toBe(manifestKey(SNAPSHOT_ID));
    expect(keys.slice(0, -1).sort()).toEqual(ONLY_MINE.map(chunkKey).sort());
  });

  it("takes the account's chunk deletion lease before deleting and gives it back after", async () => {
    await deleteImage();

    const leases = documents
      .commandCalls(UpdateCommand)
      .filter((call) => call.args[0].input.Key?.sk === UPLOADS_KEY.sk);
    expect(leases.map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        TableName: TABLE,
        Key: UPLOADS_KEY,
        ConditionExpression: 'attribute_not_exists(#version)',
        ExpressionAttributeValues: expect.objectContaining({ ':owner': SNAPSHOT_ID }),
      }),
      expect.objectContaining({
        TableName: TABLE,
        Key: UPLOADS_KEY,
        UpdateExpression: 'REMOVE #cleanupOwner, #cleanupUntil',
        ConditionExpression: '#cleanupOwner = :owner',
        ExpressionAttributeValues: { ':owner': SNAPSHOT_ID },
      }),
    ]);
    const [take, giveBack] = leases;
    const deletes = s3.commandCalls(DeleteObjectCommand);
    for (const remove of deletes) {
      expect(take?.calledBefore(remove)).toBe(true);
      expect(giveBack && remove.calledBefore(giveBack)).toBe(true);
    }
  });

  it('throws UploadsInFlightError while an upload of the account is registered, deleting nothing', async () => {
    documents.on(GetCommand, { Key: UPLOADS_KEY }).resolves({
      Item: {
        ...UPLOADS_KEY,
        uploads: { [OTHER_SNAPSHOT_ID]: Date.now() + 3_600_000 },
        version: 4,
      },
    });

    const deleting = deleteImage();

    await expect(deleting).rejects.toMatchObject({ name: 'UploadsInFlightError' });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
    expect(
      documents
        .commandCalls(UpdateCommand)
        .filter((call) => call.args[0].input.Key?.sk === UPLOADS_KEY.sk),
    ).toHaveLength(0);
  });

  it('deletes nothing when another manifest of the account does not verify', async () => {
    const tampered = manifestOf(OTHER_SNAPSHOT_ID, [SHARED]).replace(SHARED, ONLY_THEIRS);
    s3.on(GetObjectCommand, { Key: manifestKey(OTHER_SNAPSHOT_ID) }).resolves(
      objectReading(tampered),
    );

    const deleting = deleteImage();

    await expect(deleting).rejects.toMatchObject({ name: 'ImageManifestCorruptError' });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });
});
