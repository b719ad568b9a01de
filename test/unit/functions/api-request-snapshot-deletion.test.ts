import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { snapshotItem } from '../../support/table-items.ts';
import { bodyOf, routeRequest } from './api-request.ts';
import { acceptWorkflowStarts, expectOneWorkflowStart, mockedApi } from './mocked-api.ts';
import {
  ACCOUNT,
  aSnapshot,
  fieldsSetBy,
  OTHER_OPERATION_ID,
  SLICE_ID,
  SNAPSHOT_ID,
  SNAPSHOT_KEY,
  TABLE,
} from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const USAGE_KEY = { pk: `ACCOUNT#${ACCOUNT}`, sk: `USAGE#${SNAPSHOT_ID}` };
/** The query of the snapshot's open billing period, the one a stop reads first. */
const USAGE_QUERY = { ':pk': USAGE_KEY.pk, ':prefix': USAGE_KEY.sk, ':to': NOW };
const SEVEN_DAYS_LATER = '2026-03-17T12:00:00.000Z';

/** `DELETE /v1/snapshots/{id}`: for good with `?purge=true`, else into the recycle bin. */
const deleteSnapshot = (query: Record<string, string> = { purge: 'true' }) =>
  routeRequest('DELETE /v1/snapshots/{id}', { id: SNAPSHOT_ID, ...(query ? { query } : {}) });
const recycleSnapshot = () => deleteSnapshot({});

describe('api-request-snapshot-deletion', () => {
  const {
    documents,
    tableHolds,
    sfn,
    handler,
    onlyUpdateOf,
    updatesOf,
    expectNothingWrittenOrStarted,
  } = mockedApi('functions/api-request-snapshot-deletion.ts', NOW);

  beforeEach(() => {
    tableHolds(snapshotItem(aSnapshot()));
    documents.on(UpdateCommand).resolves({});
    documents.on(PutCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    documents.on(QueryCommand, { ExpressionAttributeValues: USAGE_QUERY }).resolves({
      Items: [{ ...USAGE_KEY, from: '2026-03-02T10:20:00.000Z' }],
    });
    acceptWorkflowStarts(sfn);
  });

  it('answers 202 with the running deletion of the snapshot', async () => {
    const response = await handler(deleteSnapshot());

    expect(response.statusCode).toBe(202);
    expect(bodyOf<{ snapshot: unknown }>(response).snapshot).toMatchObject({
      id: SNAPSHOT_ID,
      status: 'deleting',
      purgeAt: null,
    });
    expect(bodyOf<{ operation: unknown }>(response).operation).toMatchObject({
      id: expect.stringMatching(/^op_[0-9A-HJKMNP-TV-Z]{26}$/),
      type: 'snapshot.delete',
      status: 'running',
      resourceType: 'snapshot',
      resourceId: SNAPSHOT_ID,
      startedAt: NOW,
    });
  });

  it('marks the snapshot deleting with a write expecting it available and unread', async () => {
    const response = await handler(deleteSnapshot());

    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    const update = onlyUpdateOf(SNAPSHOT_KEY);
    expect(update.ConditionExpression).toBe(
      '#status = :expectedStatus AND (attribute_not_exists(#readers) OR size(#readers) = :noReaders) AND ' +
        '(attribute_not_exists(#protected) OR #protected = :expectedProtected)',
    );
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':expectedStatus': 'available',
      ':noReaders': 0,
    });
    expect(fieldsSetBy(update)).toMatchObject({
      status: 'deleting',
      deletedAt: NOW,
      deletionOperationId: operation.id,
    });
  });

  it('stops billing the snapshot at the moment of the request, once', async () => {
    await handler(deleteSnapshot());

    expect(onlyUpdateOf(USAGE_KEY)).toMatchObject({
      UpdateExpression: 'SET #to = :to, gsi1sk = :gsi1sk, gsi2pk = :gsi2pk',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#to)',
      ExpressionAttributeNames: { '#to': 'to' },
      ExpressionAttributeValues: { ':to': NOW, ':gsi1sk': `${NOW}#${SNAPSHOT_ID}` },
    });
  });

  it('stores the running snapshot.delete operation after the snapshot is marked deleting', async () => {
    const response = await handler(deleteSnapshot());

    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    const puts = documents.commandCalls(PutCommand);
    expect(puts.map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: expect.objectContaining({
          pk: `ACCOUNT#${ACCOUNT}`,
          sk: `OPERATION#${operation.id}`,
          type: 'snapshot.delete',
          status: 'running',
          resourceId: SNAPSHOT_ID,
        }),
      }),
    ]);
    const [markDeleting] = documents
      .commandCalls(UpdateCommand)
      .filter((call) => call.args[0].input.Key?.sk === SNAPSHOT_KEY.sk);
    expect(markDeleting && puts[0] && markDeleting.calledBefore(puts[0])).toBe(true);
  });

  it('starts delete-snapshot named after the operation, with the account, snapshot and operation', async () => {
    const response = await handler(deleteSnapshot());

    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    expectOneWorkflowStart(sfn, 'delete-snapshot', {
      accountId: ACCOUNT,
      snapshotId: SNAPSHOT_ID,
      operationId: operation.id,
    });
  });

  it('refuses with 409 a snapshot a restore still reads, writing nothing and starting nothing', async () => {
    const reader = {
      operationId: OTHER_OPERATION_ID,
      operationType: 'slice.restore' as const,
      sliceId: SLICE_ID,
      until: '2999-01-01T00:00:00.000Z',
    };
    documents
      .on(GetCommand, { Key: SNAPSHOT_KEY })
      .resolves({ Item: snapshotItem(aSnapshot({ readers: [reader] })) });

    const response = await handler(deleteSnapshot());

    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(bodyOf(response)).toMatchObject({
      code: 'SNAPSHOT_IN_USE',
      operationId: OTHER_OPERATION_ID,
      operationType: 'slice.restore',
    });
    expect(bodyOf<{ detail: string }>(response).detail).toContain(OTHER_OPERATION_ID);
    expectNothingWrittenOrStarted();
  });

  it('refuses with 409 a protected snapshot, writing nothing and starting nothing', async () => {
    documents
      .on(GetCommand, { Key: SNAPSHOT_KEY })
      .resolves({ Item: snapshotItem(aSnapshot({ protected: true })) });

    const response = await handler(deleteSnapshot());

    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(bodyOf(response)).toMatchObject({
      code: 'SNAPSHOT_PROTECTED',
      detail: expect.stringContaining('is protected'),
    });
    expectNothingWrittenOrStarted();
  });

  describe('into the recycle bin (no purge)', () => {
    it('answers 202 with the snapshot recycled until the purge and a succeeded operation', async () => {
      const response = await handler(recycleSnapshot());

      expect(response.statusCode).toBe(202);
      const body = bodyOf<{ snapshot: unknown; operation: unknown }>(response);
      expect(body.snapshot).toMatchObject({
        id: SNAPSHOT_ID,
        status: 'recycled',
        purgeAt: SEVEN_DAYS_LATER,
        monthlyCost: { amount: '0.00' },
      });
      expect(body.operation).toMatchObject({
        type: 'snapshot.delete',
        status: 'succeeded',
        resourceId: SNAPSHOT_ID,
        finishedAt: NOW,
      });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('writes the snapshot recycled and Snapshot Recycled in one transaction', async () => {
      await handler(recycleSnapshot());

      const [transaction] = documents.commandCalls(TransactWriteCommand);
      const [update, outbox] = transaction?.args[0].input.TransactItems ?? [];
      expect(update?.Update).toMatchObject({ Key: SNAPSHOT_KEY });
      expect(update?.Update?.ExpressionAttributeValues).toMatchObject({
        ':expectedStatus': 'available',
      });
      expect(Object.values(update?.Update?.ExpressionAttributeValues ?? {})).toEqual(
        expect.arrayContaining([
          'recycled',
          SEVEN_DAYS_LATER,
          'SNAPSHOTS#RECYCLED',
          `${SEVEN_DAYS_LATER}#${ACCOUNT}#${SNAPSHOT_ID}`,
        ]),
      );
      expect(outbox?.Put?.Item).toMatchObject({ detailType: 'Snapshot Recycled' });
      expect(JSON.parse(String(outbox?.Put?.Item?.detail))).toMatchObject({
        accountId: ACCOUNT,
        snapshotId: SNAPSHOT_ID,
        purgeAt: SEVEN_DAYS_LATER,
      });
    });

    it("keeps it as long as the account's settings say", async () => {
      documents
        .on(GetCommand, { Key: { pk: `ACCOUNT#${ACCOUNT}`, sk: 'SETTINGS' } })
        .resolves({ Item: { recycleBinDays: 1, updatedAt: '2026-03-01T00:00:00.000Z' } });

      const response = await handler(recycleSnapshot());

      expect(bodyOf<{ snapshot: { purgeAt: string } }>(response).snapshot.purgeAt).toBe(
        '2026-03-11T12:00:00.000Z',
      );
    });

    it('stops billing at the moment of the request', async () => {
      await handler(recycleSnapshot());

      expect(updatesOf(USAGE_KEY)).toEqual([
        expect.objectContaining({
          ExpressionAttributeValues: expect.objectContaining({ ':to': NOW }),
        }),
      ]);
    });

    it('refuses with 409 a snapshot in the bin already, pointing at purge', async () => {
      documents.on(GetCommand, { Key: SNAPSHOT_KEY }).resolves({
        Item: snapshotItem(
          aSnapshot({ status: 'recycled', deletedAt: NOW, purgeAt: SEVEN_DAYS_LATER }),
        ),
      });

      const response = await handler(recycleSnapshot());

      expect(response.statusCode).toBe(409);
      expect(bodyOf<{ code: string }>(response).code).toBe('SNAPSHOT_ALREADY_RECYCLED');
      expect(bodyOf<{ detail: string }>(response).detail).toContain('?purge=true');
      expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });
  });

  it('refuses with 400 a purge that is neither true nor false', async () => {
    const response = await handler(deleteSnapshot({ purge: 'yes' }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<{ errors: { path: string }[] }>(response).errors).toEqual([
      expect.objectContaining({ path: 'query.purge' }),
    ]);
  });
});
