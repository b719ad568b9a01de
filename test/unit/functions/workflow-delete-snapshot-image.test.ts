import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { snapshotItem } from '../../support/table-items.ts';
import { loadedHandler } from './loaded-handler.ts';
import { tableHolds } from './mocked-api.ts';
import {
  ACCOUNT,
  aSnapshot,
  BUCKET,
  OPERATION_ID,
  SNAPSHOT_ID,
  SNAPSHOT_KEY,
} from './stored-records.ts';

const manifestKey = (snapshotId: string) => `${ACCOUNT}/snapshots/${snapshotId}/manifest.json`;

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
    tableHolds(documents, snapshotItem(deleting));
    s3.on(DeleteObjectCommand).resolves({});
  });
  afterAll(() => {
    documents.restore();
    s3.restore();
  });

  const deleteImage = () =>
    handler({ accountId: ACCOUNT, snapshotId: SNAPSHOT_ID, operationId: OPERATION_ID });

  it("deletes the snapshot's manifest and nothing else, reading no other manifest", async () => {
    const result = await deleteImage();

    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: manifestKey(SNAPSHOT_ID) },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(result).toEqual({ deleted: true });
  });

  it('writes nothing to the table: the record changes in the next step', async () => {
    await deleteImage();

    expect(documents.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetCommand']);
  });

  it('deletes nothing for a protected snapshot', async () => {
    const guarded = aSnapshot({
      status: 'deleting',
      deletedAt: '2026-03-10T12:00:00.000Z',
      deletionOperationId: OPERATION_ID,
      protected: true,
    });
    documents.on(GetCommand, { Key: SNAPSHOT_KEY }).resolves({ Item: snapshotItem(guarded) });

    const deleting = deleteImage();

    await expect(deleting).rejects.toMatchObject({ name: 'SnapshotProtectedError' });
    expect(s3.calls()).toHaveLength(0);
  });
});
