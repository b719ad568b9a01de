import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../agent/protocol/parse-command.ts';

/** The fields parseCommand refuses in `body`, sorted: none when it accepts the command. */
function refusedFields(body: unknown): string[] {
  const result = parseCommand(body);
  return result.ok ? [] : result.errors.map((error) => error.path).sort();
}

describe('parseCommand', () => {
  it('accepts an upload with a callback', () => {
    const body = {
      commandId: 'exec-1:upload',
      type: 'upload',
      sliceId: 'slc_01',
      captureId: 'snp_01',
      accountId: 'acc_01',
      snapshotId: 'snp_01',
      baseSnapshotIds: ['snp_00'],
      callback: { url: 'https://api.example.com/agent/v1/callbacks', taskToken: 'token' },
    };

    expect(parseCommand(body)).toEqual({ ok: true, command: body });
  });

  it('names every bad field', () => {
    const refused = refusedFields({
      commandId: '',
      type: 'create-disk',
      sliceId: '../etc',
      sizeBytes: -1,
      callback: { url: 'ftp://x', taskToken: '' },
    });

    expect(refused).toEqual([
      'callback.taskToken',
      'callback.url',
      'commandId',
      'sizeBytes',
      'sliceId',
    ]);
  });

  it.each([
    {
      title: 'refuses an unknown type',
      body: { commandId: 'c', type: 'format-disk', sliceId: 's' },
      field: 'type',
    },
    {
      title: 'refuses a name that could leave its folder',
      body: { commandId: 'c', type: 'capture', sliceId: 's', captureId: '..' },
      field: 'captureId',
    },
  ])('$title', ({ body, field }) => {
    expect(refusedFields(body)).toEqual([field]);
  });

  it('takes a rollback id on write-image and requires one to roll back', () => {
    const write = refusedFields({
      commandId: 'c1',
      type: 'write-image',
      sliceId: 's',
      accountId: 'a',
      snapshotId: 'snp_1',
      rollbackId: '../x',
    });
    const rollBack = refusedFields({ commandId: 'c2', type: 'roll-back-image', sliceId: 's' });
    const discard = parseCommand({
      commandId: 'c3',
      type: 'discard-rollback',
      sliceId: 's',
      rollbackId: 'op_1',
    });

    expect(write).toEqual(['rollbackId']);
    expect(rollBack).toEqual(['rollbackId']);
    expect(discard.ok).toBe(true);
  });
});
