import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sliceItem, snapshotItem } from '../../support/table-items.ts';
import { bodyOf, routeRequest } from './api-request.ts';
import { acceptWorkflowStarts, expectOneWorkflowStart, mockedApi } from './mocked-api.ts';
import { expectOperationPut, outboxEvents, recordPuts } from './outbox-writes.ts';
import {
  ACCOUNT,
  aSlice,
  aSnapshot,
  GIB,
  grantSliceLock,
  SLICE_ID,
  SLICE_KEY,
  SNAPSHOT_ID,
  SNAPSHOT_KEY,
  TABLE,
} from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';
// restore-slice's TimeoutSeconds (8 h): the reader expires with the workflow.
const READER_UNTIL = '2026-03-10T20:00:00.000Z';

const restore = (body: unknown) =>
  routeRequest('POST /v1/snapshots/{id}/restore', { id: SNAPSHOT_ID, body });

/** The slice lock's conditional write answers the slice busy under the operation it names. */
const lockGranted = grantSliceLock('slice.restore', { updatedAt: NOW });

describe('api-request-restore', () => {
  const {
    documents,
    tableHolds,
    events,
    sfn,
    handler,
    onlyUpdateOf,
    expectNothingWrittenOrStarted,
  } = mockedApi('functions/api-request-restore.ts', NOW);

  beforeEach(() => {
    tableHolds(snapshotItem(aSnapshot()), sliceItem(aSlice()));
    documents.on(UpdateCommand).resolves({});
    documents.on(UpdateCommand, { Key: SLICE_KEY }).callsFake(lockGranted);
    documents.on(PutCommand).resolves({});
    acceptWorkflowStarts(sfn);
  });

  /** Asks for a confirmed restore of the snapshot onto its own slice: the body answered. */
  const aConfirmedRestore = async () =>
    bodyOf<{ operation: { id: string } }>(await handler(restore({ confirm: true })));

  it.each([
    ['without confirm', {}],
    ['with confirm false', { confirm: false }],
  ])(
    'refuses a restore %s with 400 problem+json naming body.confirm, calling no AWS service',
    async (_, body) => {
      const response = await handler(restore(body));

      expect(response.statusCode).toBe(400);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      const problem = bodyOf<{ errors: { path: string }[] }>(response);
      expect(problem.errors.map((error) => error.path)).toEqual(['body.confirm']);
      expect(documents.calls()).toHaveLength(0);
      expect(events.calls()).toHaveLength(0);
      expect(sfn.calls()).toHaveLength(0);
    },
  );

  it('answers 404 for a snapshot the table does not hold, writing nothing', async () => {
    documents.on(GetCommand, { Key: SNAPSHOT_KEY }).resolves({});

    const response = await handler(restore({ confirm: true }));

    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: SNAPSHOT_KEY,
      ConsistentRead: true,
    });
    expectNothingWrittenOrStarted();
    expect(events.calls()).toHaveLength(0);
  });

  it("answers 202 with the running restore of the snapshot's own slice", async () => {
    const response = await handler(restore({ confirm: true }));

    expect(response.statusCode).toBe(202);
    const { operation } = bodyOf<{ operation: Record<string, unknown> }>(response);
    expect(operation).toMatchObject({
      id: expect.stringMatching(/^op_[0-9A-HJKMNP-TV-Z]{26}$/),
      type: 'slice.restore',
      status: 'running',
      resourceType: 'slice',
      resourceId: SLICE_ID,
      startedAt: NOW,
      finishedAt: null,
    });
  });

  it('takes the slice lock with a conditional write on an active slice nobody holds', async () => {
    const { operation } = await aConfirmedRestore();
    expect(onlyUpdateOf(SLICE_KEY)).toMatchObject({
      ConditionExpression: '#status = :active AND attribute_not_exists(#lockOperationId)',
      ExpressionAttributeNames: { '#status': 'status', '#lockOperationId': 'lockOperationId' },
      ExpressionAttributeValues: {
        ':active': 'active',
        ':busy': 'busy',
        ':operationId': operation.id,
        ':operationType': 'slice.restore',
        ':now': NOW,
      },
    });
  });

  it("registers the restore as the snapshot's reader, expecting it available and unread", async () => {
    const { operation } = await aConfirmedRestore();
    const reader = onlyUpdateOf(SNAPSHOT_KEY);
    expect(reader.ConditionExpression).toMatch(/^#status = :expectedStatus AND /);
    expect(reader.ConditionExpression).toContain('attribute_not_exists(#readers)');
    expect(reader.ExpressionAttributeNames).toMatchObject({
      '#status': 'status',
      '#readers': 'readers',
    });
    expect(reader.ExpressionAttributeValues?.[':expectedStatus']).toBe('available');
    expect(Object.values(reader.ExpressionAttributeValues ?? {})).toContainEqual([
      {
        operationId: operation.id,
        operationType: 'slice.restore',
        sliceId: SLICE_ID,
        until: READER_UNTIL,
      },
    ]);
  });

  it('stores a running operation whose progress expects the billed bytes of the snapshot', async () => {
    const { operation } = await aConfirmedRestore();
    expectOperationPut(documents, {
      id: operation.id,
      accountId: ACCOUNT,
      type: 'slice.restore',
      status: 'running',
      resourceType: 'slice',
      resourceId: SLICE_ID,
      startedAt: NOW,
      progress: { bytesDone: 0, bytesTotal: 12 * GIB },
      undoSnapshotId: expect.stringMatching(/^snp_/),
      undoUntil: null,
      undoError: null,
    });
  });

  it('stores the pending snapshot that keeps the replaced disk, labelled and named for it', async () => {
    const response = await handler(restore({ confirm: true }));

    const { operation } = bodyOf<{
      operation: { id: string; undoSnapshotId: string; undoUntil: null };
    }>(response);
    const kept = recordPuts(documents).filter((put) =>
      String(put.Item?.sk).startsWith('SNAPSHOT#'),
    );
    expect(kept).toHaveLength(1);
    expect(kept[0]?.Item).toMatchObject({
      id: operation.undoSnapshotId,
      status: 'pending',
      sliceId: SLICE_ID,
      name: `web-1-before-restore-${Date.parse(NOW) / 1000}`,
      labels: { 'slice-snapshots/auto': 'pre-restore' },
    });
    expect(operation.undoUntil).toBeNull();
  });

  it('keeps no snapshot of the replaced disk with keepCurrent false', async () => {
    const response = await handler(restore({ confirm: true, keepCurrent: false }));

    const { operation } = bodyOf<{ operation: { undoSnapshotId: string | null } }>(response);
    expect(response.statusCode).toBe(202);
    expect(operation.undoSnapshotId).toBeNull();
    const kept = recordPuts(documents).filter((put) =>
      String(put.Item?.sk).startsWith('SNAPSHOT#'),
    );
    expect(kept).toEqual([]);
  });

  it('writes Slice Restore Started with the operation, with the ids and names involved', async () => {
    const { operation } = await aConfirmedRestore();
    const written = outboxEvents(documents);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      source: 'slice-snapshots',
      detailType: 'Slice Restore Started',
    });
    expect(written[0]?.detail).toEqual({
      accountId: ACCOUNT,
      snapshotId: SNAPSHOT_ID,
      sliceId: SLICE_ID,
      operationId: operation.id,
      sliceName: 'web-1',
      snapshotName: 'before-upgrade',
      undoSnapshotId: expect.stringMatching(/^snp_/),
      eventId: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
    });
  });

  it('starts restore-slice named after the operation, with the account, slice, operation and snapshot', async () => {
    const { operation } = await aConfirmedRestore();
    expectOneWorkflowStart(sfn, 'restore-slice', {
      accountId: ACCOUNT,
      sliceId: SLICE_ID,
      operationId: operation.id,
      snapshotId: SNAPSHOT_ID,
      undoSnapshotId: expect.stringMatching(/^snp_/),
    });
  });

  it('locks the slice, then registers the reader, stores the operation with its announcement and starts the workflow last', async () => {
    const order: string[] = [];
    documents.on(UpdateCommand, { Key: SLICE_KEY }).callsFake((input: UpdateCommandInput) => {
      order.push('lock slice');
      return lockGranted(input);
    });
    documents.on(UpdateCommand, { Key: SNAPSHOT_KEY }).callsFake(() => {
      order.push('register reader');
      return {};
    });
    documents.on(TransactWriteCommand).callsFake(() => {
      order.push('store operation with its announcement');
      return {};
    });
    sfn.on(StartExecutionCommand).callsFake(() => {
      order.push('start workflow');
      return { executionArn: 'arn:execution', startDate: new Date() };
    });

    await handler(restore({ confirm: true }));

    expect(order).toEqual([
      'lock slice',
      'register reader',
      'store operation with its announcement',
      'start workflow',
    ]);
  });
});
