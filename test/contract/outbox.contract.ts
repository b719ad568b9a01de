import { expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { type DomainEvent, EVENT } from '../../core/events/event-types.ts';
import { failOperation, succeedOperation } from '../../core/operations/operation.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import type { Failure } from '../../core/shared/failure.ts';
import {
  ConcurrentModificationError,
  RecordAlreadyExistsError,
} from '../../core/shared/persistence-errors.ts';
import { markSnapshotFailed } from '../../core/snapshots/snapshot.ts';
import { anAccountId, anOperation, aSnapshot } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';

const T1 = '2025-03-01T11:00:00.000Z';
const KEY = new HmacSigner('outbox-contract-cursor-key-0123456789abcdef');
const FAILURE: Failure = { code: 'SNAPSHOT_FAILED', message: 'it failed' };

/** Repositories that share one outbox, and a way to read what it holds. */
export interface OutboxSubject {
  readonly operations: OperationRepository;
  readonly snapshots: SnapshotRepository;
  /** The events of the outbox among `events`: each as many times as it is held. */
  written(events: readonly DomainEvent[]): Promise<readonly DomainEvent[]>;
}

/** Writes with events: the events are stored with the change or not at all, each once. */
export function outboxContract(make: (signer: HmacSigner) => OutboxSubject): void {
  const fresh = freshPerTest(() => ({ subject: make(KEY), accountId: anAccountId() }));

  function succeeded(operationId: string): DomainEvent {
    return {
      detailType: EVENT.sliceCreated,
      detail: { accountId: fresh.accountId, sliceId: 'slc_1', operationId, name: 'web' },
    };
  }

  it('writes the events of a create with the record', async () => {
    const operation = anOperation({ accountId: fresh.accountId });
    const event = succeeded(operation.id);

    await fresh.subject.operations.create(operation, { events: [event] });

    expect(await fresh.subject.operations.get(fresh.accountId, operation.id)).toEqual(operation);
    expect(await fresh.subject.written([event])).toEqual([event]);
  });

  it('writes no event when the create is refused', async () => {
    const operation = anOperation({ accountId: fresh.accountId });
    await fresh.subject.operations.create(operation);
    const event = succeeded(operation.id);

    await expect(
      fresh.subject.operations.create(operation, { events: [event] }),
    ).rejects.toBeInstanceOf(RecordAlreadyExistsError);

    expect(await fresh.subject.written([event])).toEqual([]);
  });

  it('writes the events of an update with the change, and none when it is refused', async () => {
    const operation = anOperation({ accountId: fresh.accountId });
    await fresh.subject.operations.create(operation);
    const done = succeedOperation(operation, T1);
    const event = succeeded(operation.id);
    const stale: DomainEvent = {
      detailType: EVENT.sliceCreationFailed,
      detail: {
        accountId: fresh.accountId,
        sliceId: 'slc_1',
        operationId: operation.id,
        error: FAILURE,
      },
    };

    await fresh.subject.operations.update(operation, done, { events: [event] });
    await expect(
      fresh.subject.operations.update(operation, failOperation(operation, FAILURE, T1), {
        events: [stale],
      }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);

    expect((await fresh.subject.operations.get(fresh.accountId, operation.id))?.status).toBe(
      'succeeded',
    );
    expect(await fresh.subject.written([event, stale])).toEqual([event]);
  });

  it('writes an event already in the outbox once, and the change all the same', async () => {
    const snapshot = aSnapshot({ accountId: fresh.accountId });
    await fresh.subject.snapshots.create(snapshot);
    const operation = anOperation({ accountId: fresh.accountId });
    const event: DomainEvent = {
      detailType: EVENT.snapshotFailed,
      detail: {
        accountId: fresh.accountId,
        snapshotId: snapshot.id,
        operationId: operation.id,
        error: FAILURE,
      },
    };
    await fresh.subject.operations.create(operation, { events: [event] });

    await fresh.subject.snapshots.update(snapshot, markSnapshotFailed(snapshot, FAILURE, T1), {
      events: [event],
    });

    expect((await fresh.subject.snapshots.get(fresh.accountId, snapshot.id))?.status).toBe(
      'failed',
    );
    expect(await fresh.subject.written([event])).toEqual([event]);
  });
}
