import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sliceItem } from '../../support/table-items.ts';
import { bodyOf, routeRequest } from './api-request.ts';
import { acceptWorkflowStarts, expectOneWorkflowStart, mockedApi } from './mocked-api.ts';
import { expectOperationPut, outboxEvents, recordPuts } from './outbox-writes.ts';
import {
  ACCOUNT,
  aSlice,
  fieldsSetBy,
  grantSliceLock,
  SLICE_ID,
  SLICE_KEY,
  TABLE,
} from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';

const deleteSlice = (query?: Record<string, string>) =>
  routeRequest('DELETE /v1/slices/{id}', { id: SLICE_ID, ...(query ? { query } : {}) });

/** A slice whose build failed: no host, powered off, with the reason. */
const failedSlice = aSlice({
  status: 'error',
  power: 'off',
  hostId: null,
  usedBytes: 0,
  error: { code: 'NO_HOST_AVAILABLE', message: 'no host of fra1 has room for the disk' },
});

describe('api-request-slice-deletion', () => {
  const { documents, tableHolds, events, sfn, handler, expectNothingWrittenOrStarted } = mockedApi(
    'functions/api-request-slice-deletion.ts',
    NOW,
  );

  beforeEach(() => {
    tableHolds(sliceItem(aSlice()));
    documents.on(UpdateCommand).resolves({});
    documents.on(UpdateCommand, { Key: SLICE_KEY }).callsFake(grantSliceLock('slice.delete'));
    documents.on(PutCommand).resolves({});
    acceptWorkflowStarts(sfn);
  });
  it('answers 202 and starts delete-slice under the slice lock', async () => {
    const response = await handler(deleteSlice());

    expect(response.statusCode).toBe(202);
    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    expect(operation).toMatchObject({
      type: 'slice.delete',
      status: 'running',
      resourceId: SLICE_ID,
    });
    const [lock] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(lock).toMatchObject({
      TableName: TABLE,
      Key: SLICE_KEY,
      // A deletion takes the lock only of an unprotected slice, in the same write.
      ConditionExpression:
        '#status = :active AND attribute_not_exists(#lockOperationId) AND ' +
        '(attribute_not_exists(#deleteProtected) OR #deleteProtected = :unprotected)',
      ExpressionAttributeValues: {
        ':operationId': operation.id,
        ':operationType': 'slice.delete',
        ':unprotected': false,
      },
    });
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      sk: `OPERATION#${operation.id}`,
      type: 'slice.delete',
      status: 'running',
    });
    expectOneWorkflowStart(sfn, 'delete-slice', {
      accountId: ACCOUNT,
      sliceId: SLICE_ID,
      operationId: operation.id,
      finalSnapshotId: null,
    });
    expect(events.calls()).toHaveLength(0);
  });

  it('with finalSnapshot=true stores the pending final snapshot and hands it to delete-slice', async () => {
    const response = await handler(deleteSlice({ finalSnapshot: 'true' }));

    const { operation } = bodyOf<{ operation: { id: string; finalSnapshotId: string } }>(response);
    expect(response.statusCode).toBe(202);
    expect(operation.finalSnapshotId).toMatch(/^snp_/);
    const snapshots = recordPuts(documents).filter((put) =>
      String(put.Item?.sk).startsWith('SNAPSHOT#'),
    );
    expect(snapshots.map((put) => put.Item)).toEqual([
      expect.objectContaining({
        id: operation.finalSnapshotId,
        status: 'pending',
        sliceId: SLICE_ID,
        name: `web-1-final-${Date.parse(NOW) / 1000}`,
      }),
    ]);
    const starts = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(JSON.parse(starts[0]?.input ?? '{}')).toMatchObject({
      finalSnapshotId: operation.finalSnapshotId,
    });
  });

  it('refuses a finalSnapshot that is not true or false with 400 naming it, calling nothing', async () => {
    const response = await handler(deleteSlice({ finalSnapshot: 'yes' }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<{ errors: { path: string }[] }>(response).errors.map((e) => e.path)).toEqual([
      'query.finalSnapshot',
    ]);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('deletes a slice in error at once, with a write expecting it in error and unlocked', async () => {
    documents.on(GetCommand, { Key: SLICE_KEY }).resolves({ Item: sliceItem(failedSlice) });

    const response = await handler(deleteSlice());

    expect(response.statusCode).toBe(202);
    const updates = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update).toMatchObject({
      TableName: TABLE,
      Key: SLICE_KEY,
      ConditionExpression:
        '#status = :expectedStatus AND attribute_not_exists(#lockOperationId) AND ' +
        '(attribute_not_exists(#deleteProtected) OR #deleteProtected = :expectedDeleteProtected)',
      ExpressionAttributeValues: expect.objectContaining({
        ':expectedStatus': 'error',
        ':expectedDeleteProtected': false,
      }),
    });
    expect(fieldsSetBy(update)).toMatchObject({ status: 'deleted', deletedAt: NOW });
  });

  it('stores the deletion of a slice in error as an operation already succeeded', async () => {
    documents.on(GetCommand, { Key: SLICE_KEY }).resolves({ Item: sliceItem(failedSlice) });

    const response = await handler(deleteSlice());

    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    expect(operation).toMatchObject({
      type: 'slice.delete',
      status: 'succeeded',
      finishedAt: NOW,
    });
    expectOperationPut(documents, {
      id: operation.id,
      accountId: ACCOUNT,
      type: 'slice.delete',
      status: 'succeeded',
      resourceId: SLICE_ID,
      finishedAt: NOW,
    });
  });

  it('writes Slice Deleted with the operation for a slice in error and starts no workflow', async () => {
    documents.on(GetCommand, { Key: SLICE_KEY }).resolves({ Item: sliceItem(failedSlice) });

    const response = await handler(deleteSlice());

    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    const written = outboxEvents(documents);
    expect(events.calls()).toHaveLength(0);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ source: 'slice-snapshots', detailType: 'Slice Deleted' });
    expect(written[0]?.detail).toEqual({
      accountId: ACCOUNT,
      sliceId: SLICE_ID,
      operationId: operation.id,
      name: 'web-1',
      eventId: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  it.each([
    ['an active', aSlice({ deleteProtected: true })],
    ['a failed', { ...failedSlice, deleteProtected: true }],
  ])('refuses with 409 %s slice with delete protection on, changing nothing', async (_, slice) => {
    documents.on(GetCommand, { Key: SLICE_KEY }).resolves({ Item: sliceItem(slice) });

    const response = await handler(deleteSlice());

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({
      code: 'SLICE_DELETE_PROTECTED',
      detail: expect.stringContaining('protected from deletion'),
    });
    expectNothingWrittenOrStarted();
  });

  it('refuses with 409 when protection lands between the read and the lock', async () => {
    documents
      .on(GetCommand, { Key: SLICE_KEY })
      .resolvesOnce({ Item: sliceItem(aSlice()) })
      .resolves({
        Item: sliceItem(aSlice({ deleteProtected: true })),
      });
    documents.on(UpdateCommand, { Key: SLICE_KEY }).rejects(
      Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
      }),
    );

    const response = await handler(deleteSlice());

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({
      code: 'SLICE_DELETE_PROTECTED',
      detail: expect.stringContaining('protected from deletion'),
    });
    expect(sfn.calls()).toHaveLength(0);
  });
});
