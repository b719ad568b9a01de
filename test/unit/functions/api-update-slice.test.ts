import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sliceItem } from '../../support/table-items.ts';
import { bodyOf, type Problem, routeRequest } from './api-request.ts';
import { mockedApi } from './mocked-api.ts';
import { aSlice, fieldsSetBy, SLICE_ID, SLICE_KEY, TABLE } from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';

const patchSlice = (body: unknown, accountId?: string) =>
  routeRequest('PATCH /v1/slices/{id}', { id: SLICE_ID, body, accountId });

describe('api-update-slice', () => {
  const { documents, tableHolds, handler } = mockedApi('functions/api-update-slice.ts', NOW);
  const stored = aSlice({ labels: { env: 'prod', team: 'web' } });

  beforeEach(() => {
    tableHolds(sliceItem(stored));
    documents.on(UpdateCommand).resolves({});
  });

  it('answers 200 with the slice renamed, its labels merged and its protection on', async () => {
    const response = await handler(
      patchSlice({ name: 'web-2', labels: { env: 'staging', team: null }, deleteProtected: true }),
    );

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      id: SLICE_ID,
      name: 'web-2',
      labels: { env: 'staging' },
      deleteProtected: true,
    });
    const [update] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(update).toMatchObject({ TableName: TABLE, Key: SLICE_KEY });
    expect(fieldsSetBy(update)).toMatchObject({
      name: 'web-2',
      labels: { env: 'staging' },
      deleteProtected: true,
      updatedAt: NOW,
    });
    // The merge is written only over the labels as read, the protection over the protection.
    expect(update?.ConditionExpression).toContain('#labels = :expectedLabels');
    expect(update?.ConditionExpression).toContain('#deleteProtected = :expectedDeleteProtected');
    expect(update?.ExpressionAttributeValues?.[':expectedLabels']).toEqual(stored.labels);
  });

  it('answers 404 for another account’s slice, reading only the caller’s partition', async () => {
    const response = await handler(patchSlice({ deleteProtected: true }, 'acct-2'));

    expect(response.statusCode).toBe(404);
    expect(documents.commandCalls(UpdateCommand)).toEqual([]);
    const [read] = documents.commandCalls(GetCommand).map((call) => call.args[0].input);
    expect(read?.Key).toEqual({ pk: 'ACCOUNT#acct-2', sk: `SLICE#${SLICE_ID}` });
  });

  it.each([
    [{ labels: { Env: 'prod' } }, 'body.labels.Env', 'key must be 1–63 characters'],
    [{ labels: { env: 'Prod' } }, 'body.labels.env', 'value must be 0–63 characters'],
    [{ labels: { env: 5 } }, 'body.labels.env', 'expected string'],
    [{ labels: ['env'] }, 'body.labels', 'expected record'],
    [{ deleteProtected: 'yes' }, 'body.deleteProtected', 'expected boolean'],
    [{ name: '' }, 'body.name', 'must not be empty'],
    [{ color: 'red' }, 'body.color', 'is not a known field'],
  ])('refuses %j with a 400 naming the field', async (body, path, message) => {
    const response = await handler(patchSlice(body));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<Problem>(response).errors).toEqual([
      { path, message: expect.stringContaining(message) },
    ]);
    expect(documents.commandCalls(UpdateCommand)).toEqual([]);
  });

  it('refuses labels that would exceed 64 once merged, naming body.labels', async () => {
    const many = Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`k${i}`, 'v']));

    const response = await handler(patchSlice({ labels: many }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<Problem>(response).errors).toEqual([
      { path: 'body.labels', message: 'would leave 65 labels; a resource holds at most 64' },
    ]);
  });
});
