import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { snapshotItem } from '../../support/table-items.ts';
import { bodyOf, type Problem, routeRequest } from './api-request.ts';
import { mockedApi } from './mocked-api.ts';
import { outboxEvents } from './outbox-writes.ts';
import { aSnapshot, fieldsSetBy, SNAPSHOT_ID, SNAPSHOT_KEY } from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';

const patchSnapshot = (body: unknown, accountId?: string) =>
  routeRequest('PATCH /v1/snapshots/{id}', { id: SNAPSHOT_ID, body, accountId });

describe('api-update-snapshot', () => {
  const { documents, tableHolds, handler } = mockedApi('functions/api-update-snapshot.ts', NOW);
  const stored = aSnapshot({ labels: { env: 'prod', team: 'web' } });

  beforeEach(() => {
    tableHolds(snapshotItem(stored));
    documents.on(UpdateCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    // The answer's costToDate reads the account's usage of the month: none here.
    documents.on(QueryCommand).resolves({ Items: [] });
  });

  it('protects the snapshot and merges its labels, with no event', async () => {
    const response = await handler(
      patchSnapshot({ protected: true, labels: { team: null, tier: 'gold' } }),
    );

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      id: SNAPSHOT_ID,
      name: stored.name,
      labels: { env: 'prod', tier: 'gold' },
      protected: true,
    });
    const [update] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(fieldsSetBy(update)).toMatchObject({
      protected: true,
      labels: { env: 'prod', tier: 'gold' },
    });
    expect(update?.ConditionExpression).toContain('#protected = :expectedProtected');
    expect(update?.ConditionExpression).toContain('#labels = :expectedLabels');
    expect(outboxEvents(documents)).toEqual([]);
  });

  it('renames with Snapshot Renamed written in the same transaction', async () => {
    const response = await handler(patchSnapshot({ name: 'kept' }));

    expect(response.statusCode).toBe(200);
    expect(outboxEvents(documents)).toEqual([
      expect.objectContaining({
        detailType: 'Snapshot Renamed',
        detail: expect.objectContaining({ name: 'kept', previousName: stored.name }),
      }),
    ]);
  });

  it('answers 404 for another account’s snapshot and writes nothing', async () => {
    const response = await handler(patchSnapshot({ protected: false }, 'acct-2'));

    expect(response.statusCode).toBe(404);
    expect(documents.commandCalls(UpdateCommand)).toEqual([]);
    expect(documents.commandCalls(TransactWriteCommand)).toEqual([]);
  });

  it('answers 409 for a snapshot being deleted', async () => {
    documents
      .on(GetCommand, { Key: SNAPSHOT_KEY })
      .resolves({ Item: snapshotItem({ ...stored, status: 'deleting' }) });

    const response = await handler(patchSnapshot({ protected: true }));

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ code: 'SNAPSHOT_BEING_DELETED' });
  });

  it.each([
    [{ protected: 'true' }, 'body.protected', 'expected boolean'],
    [{ labels: { '-x': 'a' } }, 'body.labels.-x', 'starting and ending with a letter or digit'],
    [{ labels: { env: 'v'.repeat(64) } }, 'body.labels.env', 'value must be 0–63'],
    [{ labels: 'env=prod' }, 'body.labels', 'expected record'],
  ])('refuses %j with a 400 naming the field', async (body, path, message) => {
    const response = await handler(patchSnapshot(body));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<Problem>(response).errors).toEqual([
      { path, message: expect.stringContaining(message) },
    ]);
  });
});
