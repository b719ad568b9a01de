import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryEventPublisher } from '../../../../adapters/memory/memory-event-publisher.ts';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { MemorySnapshotRepository } from '../../../../adapters/memory/memory-snapshot-repository.ts';
import { HmacSigner } from '../../../../adapters/node/hmac-signer.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import {
  markAvailable,
  markSnapshotDeleted,
  newSnapshot,
  type Snapshot,
  startSnapshotDeletion,
} from '../../../../core/snapshots/snapshot.ts';
import {
  SnapshotBeingDeletedError,
  SnapshotNotFoundError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { renameSnapshot } from '../../../../core/use-cases/rename-snapshot.ts';

const ACCOUNT = 'acct-1';
const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T12:00:00.000Z';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts({ now: LATER });
});

function aSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    ...newSnapshot({
      id: ports.ids.next('snapshot'),
      accountId: ACCOUNT,
      name: 'nightly',
      slice: {
        id: ports.ids.next('slice'),
        name: 'web',
        region: 'fra1',
        diskBytes: 10,
        usedBytes: 5,
      },
      powerOff: true,
      now: NOW,
    }),
    ...overrides,
  };
}

describe('renameSnapshot', () => {
  it('renames the snapshot and emits Snapshot Renamed once', async () => {
    const snapshot = aSnapshot({ status: 'available' });
    await ports.snapshots.create(snapshot);

    const renamed = await renameSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      name: '  before upgrade ',
    });

    expect(renamed).toEqual({ ...snapshot, name: 'before upgrade', updatedAt: LATER });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(renamed);
    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.snapshotRenamed,
        detail: {
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          sliceId: snapshot.sliceId,
          name: 'before upgrade',
          previousName: 'nightly',
        },
        key: `${snapshot.id}@${LATER}`,
      },
    ]);
  });

  it('changes nothing and emits nothing when the name is the same', async () => {
    const snapshot = aSnapshot();
    await ports.snapshots.create(snapshot);

    const result = await renameSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      name: 'nightly ',
    });

    expect(result).toEqual(snapshot);
    expect(ports.events.published).toEqual([]);
  });

  it('answers not found for a deleted, foreign or missing snapshot', async () => {
    const deleting = startSnapshotDeletion(aSnapshot({ status: 'available' }), NOW);
    const deleted = markSnapshotDeleted(deleting, NOW);
    await ports.snapshots.create(deleted);
    const foreign = aSnapshot({ accountId: 'acct-2' });
    await ports.snapshots.create(foreign);

    for (const snapshotId of [deleted.id, foreign.id, ports.ids.next('snapshot')]) {
      await expect(
        renameSnapshot(ports, { accountId: ACCOUNT, snapshotId, name: 'x' }),
      ).rejects.toBeInstanceOf(SnapshotNotFoundError);
    }
    expect(ports.events.published).toEqual([]);
  });

  it('refuses to rename a snapshot being deleted', async () => {
    const deleting = startSnapshotDeletion(aSnapshot({ status: 'available' }), NOW);
    await ports.snapshots.create(deleting);

    const attempt = renameSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: deleting.id,
      name: 'x',
    });

    await expect(attempt).rejects.toBeInstanceOf(SnapshotBeingDeletedError);
    await expect(attempt).rejects.toMatchObject({ code: 'SNAPSHOT_BEING_DELETED' });
  });

  it('refuses an invalid name and changes nothing', async () => {
    const snapshot = aSnapshot();
    await ports.snapshots.create(snapshot);

    const attempt = renameSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      name: 'x'.repeat(256),
    });

    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(snapshot);
  });

  it('renames on fresh state when the workflow moved the snapshot meanwhile', async () => {
    const uploading = aSnapshot({ status: 'uploading' });
    const snapshots = new RacingSnapshotRepository(uploading, ports.events);
    await snapshots.create(uploading);

    await renameSnapshot(
      { ...ports, snapshots },
      { accountId: ACCOUNT, snapshotId: uploading.id, name: 'renamed' },
    );

    expect(await snapshots.get(ACCOUNT, uploading.id)).toMatchObject({
      status: 'available',
      name: 'renamed',
    });
    expect(ports.events.published).toHaveLength(1);
  });
});

/** A store in which the snapshot becomes available right after the first read (a racing workflow). */
class RacingSnapshotRepository extends MemorySnapshotRepository {
  #raced = false;
  readonly #snapshot: Snapshot;

  constructor(snapshot: Snapshot, outbox: MemoryEventPublisher) {
    super({ cursorSigner: new HmacSigner('racing-repository-key-0123456789abcdef'), outbox });
    this.#snapshot = snapshot;
  }

  override async get(accountId: string, snapshotId: string): Promise<Snapshot | null> {
    const read = await super.get(accountId, snapshotId);
    if (!this.#raced) {
      this.#raced = true;
      await this.update(
        this.#snapshot,
        markAvailable(this.#snapshot, { sizeBytes: 5, manifestKey: 'm' }, NOW),
      );
    }
    return read;
  }
}
