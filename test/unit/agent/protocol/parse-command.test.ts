import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../agent/protocol/parse-command.ts';

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
    const result = parseCommand({
      commandId: '',
      type: 'create-disk',
      sliceId: '../etc',
      sizeBytes: -1,
      callback: { url: 'ftp://x', taskToken: '' },
    });

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((error) => error.path).sort()).toEqual([
      'callback.taskToken',
      'callback.url',
      'commandId',
      'sizeBytes',
      'sliceId',
    ]);
  });

  it('refuses an unknown type', () => {
    const result = parseCommand({ commandId: 'c', type: 'format-disk', sliceId: 's' });

    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(['type']);
  });

  it('refuses a name that could leave its folder', () => {
    const result = parseCommand({
      commandId: 'c',
      type: 'capture',
      sliceId: 's',
      captureId: '..',
    });

    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(['captureId']);
  });

  it('takes a rollback id on write-image and requires one to roll back', () => {
    const write = parseCommand({
      commandId: 'c1',
      type: 'write-image',
      sliceId: 's',
      accountId: 'a',
      snapshotId: 'snp_1',
      rollbackId: '../x',
    });
    const rollBack = parseCommand({ commandId: 'c2', type: 'roll-back-image', sliceId: 's' });
    const discard = parseCommand({
      commandId: 'c3',
      type: 'discard-rollback',
      sliceId: 's',
      rollbackId: 'op_1',
    });

    expect(write.ok ? [] : write.errors.map((error) => error.path)).toEqual(['rollbackId']);
    expect(rollBack.ok ? [] : rollBack.errors.map((error) => error.path)).toEqual(['rollbackId']);
    expect(discard.ok).toBe(true);
  });
});
