import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { MemorySnapshotRepository } from '../../adapters/memory/memory-snapshot-repository.ts';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { parseLabelSelector } from '../../core/labels/label-selector.ts';
import { editSnapshot, startSnapshotDeletion } from '../../core/snapshots/snapshot.ts';
import { anAccountId, aSnapshot } from '../support/records.ts';
import { describeContract } from './describe-contract.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { snapshotRepositoryContract } from './snapshot-repository.contract.ts';

describeContract('SnapshotRepository', snapshotRepositoryContract, {
  memory: (cursorSigner) => new MemorySnapshotRepository({ cursorSigner }),
  dynamo: (table) => (cursorSigner) => new DynamoSnapshotRepository({ ...table, cursorSigner }),
});

describe('DynamoSnapshotRepository on DynamoDB Local', () => {
  const client = localDocumentClient(inject('dynamoEndpoint'));
  const tableName = inject('tableName');
  afterAll(() => client.destroy());

  it('reads a record stored before labels and protection as unlabelled and unprotected', async () => {
    const accountId = anAccountId();
    const snapshots = new DynamoSnapshotRepository({
      client,
      tableName,
      cursorSigner: new HmacSigner('legacy-records-cursor-key-0123456789abcdef'),
    });
    const {
      labels: _labels,
      protected: _protected,
      ...legacy
    } = aSnapshot({ accountId, status: 'available' });
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...legacy, pk: `ACCOUNT#${accountId}`, sk: `SNAPSHOT#${legacy.id}` },
      }),
    );

    const read = await snapshots.get(accountId, legacy.id);
    const unlabelled = await snapshots.list(
      accountId,
      { labelSelector: parseLabelSelector('!env') },
      { limit: 10 },
    );
    if (!read) throw new Error('the legacy record was not read');
    const labelled = editSnapshot(read, { labels: { env: 'prod' } }, read.updatedAt);
    await snapshots.update(read, labelled);
    await snapshots.update(labelled, startSnapshotDeletion(labelled, read.updatedAt));

    expect(read).toMatchObject({ labels: {}, protected: false });
    expect(unlabelled.items.map((each) => each.id)).toEqual([legacy.id]);
    expect(await snapshots.get(accountId, legacy.id)).toMatchObject({
      status: 'deleting',
      labels: { env: 'prod' },
    });
  });
});
