import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { sliceItem } from '../../support/table-items.ts';
import { loadedHandler, mockedDocuments } from './loaded-handler.ts';
import {
  ACCOUNT,
  aSlice,
  GIB,
  OPERATION_ID,
  OTHER_OPERATION_ID,
  SLICE_ID,
  SLICE_KEY,
  TABLE,
} from './stored-records.ts';

describe('workflow-confirm-slice-lock', () => {
  const documents = mockedDocuments();
  const handler = loadedHandler('functions/workflow-confirm-slice-lock.ts');

  const confirm = (input: Record<string, unknown>) => handler(input);
  const step = { accountId: ACCOUNT, sliceId: SLICE_ID, operationId: OPERATION_ID };
  const heldBy = (operationId: string, power: 'on' | 'off' = 'on') =>
    sliceItem(
      aSlice({
        status: 'busy',
        power,
        lock: { operationId, operationType: 'slice.restore', power: 'on' },
      }),
    );

  it('answers the host, power state and disk size of a slice busy with the operation', async () => {
    documents.on(GetCommand).resolves({ Item: heldBy(OPERATION_ID) });

    const held = await confirm(step);

    expect(held).toEqual({ hostId: 'fra1-a', power: 'on', diskBytes: 40 * GIB });
    expect(documents.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: SLICE_KEY, ConsistentRead: true },
    ]);
  });

  it('answers the power state the lock recorded, not the one the slice has now', async () => {
    documents.on(GetCommand).resolves({ Item: heldBy(OPERATION_ID, 'off') });

    const held = await confirm(step);

    expect(held).toMatchObject({ power: 'on' });
  });

  it('throws SliceLockNotHeldError when another operation holds the slice', async () => {
    documents.on(GetCommand).resolves({ Item: heldBy(OTHER_OPERATION_ID) });

    const confirming = confirm(step);

    await expect(confirming).rejects.toMatchObject({ name: 'SliceLockNotHeldError' });
  });

  it('throws SliceLockNotHeldError when the slice is active, nobody holding it', async () => {
    documents.on(GetCommand).resolves({ Item: sliceItem(aSlice()) });

    const confirming = confirm(step);

    await expect(confirming).rejects.toMatchObject({ name: 'SliceLockNotHeldError' });
  });

  it('refuses an input without operationId before reading the table', async () => {
    const { operationId: _, ...withoutOperation } = step;

    const confirming = confirm(withoutOperation);

    await expect(confirming).rejects.toThrow(/operationId/);
    expect(documents.calls()).toHaveLength(0);
  });
});
