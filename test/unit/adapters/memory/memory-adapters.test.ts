import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../adapters/memory/manual-clock.ts';
import { MemoryOutbox } from '../../../../adapters/memory/memory-outbox.ts';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter.ts';
import { SequentialIdGenerator } from '../../../../adapters/memory/sequential-id-generator.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { isResourceId } from '../../../../core/shared/ids.ts';

describe('MemoryWorkflowStarter', () => {
  it('starts one workflow per operation, like named executions', async () => {
    const starter = new MemoryWorkflowStarter();
    const input = { accountId: 'a', operationId: 'op_1', sliceId: 'slc_1' };

    await starter.start('create-slice', input);
    await starter.start('create-slice', input);

    expect(starter.started).toEqual([{ workflow: 'create-slice', input }]);
  });
});

describe('MemoryOutbox', () => {
  it('keeps copies of the written events in order, each event once', () => {
    const outbox = new MemoryOutbox();
    const detail = { accountId: 'a', snapshotId: 'snp_1', name: 'web' };
    const renamed = { detailType: EVENT.snapshotRenamed, detail };

    outbox.recordWritten([renamed]);
    outbox.recordWritten([renamed, { detailType: EVENT.snapshotDeleted, detail }]);

    expect(outbox.published.map((event) => event.detailType)).toEqual([
      'Snapshot Renamed',
      'Snapshot Deleted',
    ]);
    expect(outbox.published[0]?.detail).not.toBe(detail);
  });
});

describe('SequentialIdGenerator', () => {
  it('issues valid, increasing ids', () => {
    const ids = new SequentialIdGenerator();

    const issued = Array.from({ length: 100 }, () => ids.next('slice'));

    expect(issued.every((id) => isResourceId('slice', id))).toBe(true);
    expect([...issued].sort()).toEqual(issued);
    expect(issued[0]).toBe('slc_00000000000000000000000001');
  });
});

describe('ManualClock', () => {
  it('moves only when told to', () => {
    const clock = new ManualClock('2025-03-01T10:00:00.000Z');

    const first = clock.now();
    clock.advanceSeconds(1.5);
    const second = clock.now();
    clock.set('2026-01-01T00:00:00.000Z');

    expect(first.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(second.toISOString()).toBe('2025-03-01T10:00:01.500Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
