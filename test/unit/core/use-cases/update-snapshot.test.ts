import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryOutbox } from '../../../../adapters/memory/memory-outbox.ts';
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
import { updateSnapshot } from '../../../../core/use-cases/update-snapshot.ts';
import { NOW } from './support/given-ports.ts';

const ACCOUNT = 'acct-1';
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

/** Stores a snapshot made by `aSnapshot(overrides)` and answers it. */
async function aStoredSnapshot(overrides: Partial<Snapshot> = {}): Promise<Snapshot> {
  const snapshot = aSnapshot(overrides);
  await ports.snapshots.create(snapshot);
  return snapshot;
}

describe('updateSnapshot', () => {
  it('renames the snapshot and emits Snapshot Renamed once', async () => {
    const snapshot = await aStoredSnapshot({ status: 'available' });

    const renamed = await updateSnapshot(ports, {
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
    const snapshot = await aStoredSnapshot();

    const result = await updateSnapshot(ports, {
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
        updateSnapshot(ports, { accountId: ACCOUNT, snapshotId, name: 'x' }),
      ).rejects.toBeInstanceOf(SnapshotNotFoundError);
    }
    expect(ports.events.published).toEqual([]);
  });

  it.each([
    ['rename', { name: 'x' }],
    ['protect', { protected: true }],
  ])('refuses to %s a snapshot being deleted', async (_change, changes) => {
    const deleting = startSnapshotDeletion(aSnapshot({ status: 'available' }), NOW);
    await ports.snapshots.create(deleting);

    const attempt = updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: deleting.id,
      ...changes,
    });

    await expect(attempt).rejects.toBeInstanceOf(SnapshotBeingDeletedError);
    await expect(attempt).rejects.toMatchObject({ code: 'SNAPSHOT_BEING_DELETED' });
  });

  it('refuses an invalid name and changes nothing', async () => {
    const snapshot = await aStoredSnapshot();

    const attempt = updateSnapshot(ports, {
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

    await updateSnapshot(
      { ...ports, snapshots },
      { accountId: ACCOUNT, snapshotId: uploading.id, name: 'renamed' },
    );

    expect(await snapshots.get(ACCOUNT, uploading.id)).toMatchObject({
      status: 'available',
      name: 'renamed',
    });
    expect(ports.events.published).toHaveLength(1);
  });
  it('merges labels: a key set to null is removed, the others are kept', async () => {
    const snapshot = await aStoredSnapshot({
      status: 'available',
      labels: { env: 'prod', team: 'web' },
    });

    const updated = await updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      labels: { env: 'staging', team: null, tier: 'gold' },
    });

    expect(updated.labels).toEqual({ env: 'staging', tier: 'gold' });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(updated);
    expect(updated).toMatchObject({ name: 'nightly', protected: false, updatedAt: LATER });
  });

  it('changes labels and protection without an event (the contract has none)', async () => {
    const snapshot = await aStoredSnapshot({ status: 'available' });

    const updated = await updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      labels: { env: 'prod' },
      protected: true,
    });

    expect(updated).toMatchObject({ labels: { env: 'prod' }, protected: true });
    expect(ports.events.published).toEqual([]);
  });

  it('renames, relabels and protects in one write with one Snapshot Renamed', async () => {
    const snapshot = await aStoredSnapshot({ status: 'available' });

    await updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      name: 'kept',
      labels: { env: 'prod' },
      protected: true,
    });

    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      name: 'kept',
      labels: { env: 'prod' },
      protected: true,
    });
    expect(ports.events.published.map((event) => event.detailType)).toEqual([
      EVENT.snapshotRenamed,
    ]);
  });

  it('writes nothing when labels and protection are already so', async () => {
    const snapshot = await aStoredSnapshot({ labels: { env: 'prod' }, protected: true });

    const result = await updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      labels: { env: 'prod', gone: null },
      protected: true,
    });

    expect(result).toEqual(snapshot);
  });

  it('refuses labels that would exceed 64, naming the field, and changes nothing', async () => {
    const full = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
    const snapshot = await aStoredSnapshot({ labels: full });

    const attempt = updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      labels: { one: 'more' },
    });

    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: 'labels', message: expect.stringContaining('at most 64') }],
    });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(snapshot);
  });

  it('refuses a malformed label, naming its key', async () => {
    const snapshot = await aStoredSnapshot();

    const attempt = updateSnapshot(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      labels: { Env: 'prod' },
    });

    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'labels.Env' }] });
  });

  it('keeps the labels another request merged in meanwhile', async () => {
    const snapshot = aSnapshot({ status: 'available', labels: { env: 'prod' } });
    const snapshots = new RacingSnapshotRepository(snapshot, ports.events, (read) => ({
      ...read,
      labels: { ...read.labels, team: 'web' },
    }));
    await snapshots.create(snapshot);

    await updateSnapshot(
      { ...ports, snapshots },
      { accountId: ACCOUNT, snapshotId: snapshot.id, labels: { tier: 'gold' } },
    );

    expect((await snapshots.get(ACCOUNT, snapshot.id))?.labels).toEqual({
      env: 'prod',
      team: 'web',
      tier: 'gold',
    });
  });
});

/**
 * A store in which another write lands right after the first read: by default the snapshot becomes
 * available (a racing workflow), or whatever `race` makes of it.
 */
class RacingSnapshotRepository extends MemorySnapshotRepository {
  #raced = false;
  readonly #snapshot: Snapshot;
  readonly #race: (snapshot: Snapshot) => Snapshot;

  constructor(
    snapshot: Snapshot,
    outbox: MemoryOutbox,
    race: (snapshot: Snapshot) => Snapshot = (read) =>
      markAvailable(read, { sizeBytes: 5, manifestKey: 'm' }, NOW),
  ) {
    super({ cursorSigner: new HmacSigner('racing-repository-key-0123456789abcdef'), outbox });
    this.#snapshot = snapshot;
    this.#race = race;
  }

  override async get(accountId: string, snapshotId: string): Promise<Snapshot | null> {
    const read = await super.get(accountId, snapshotId);
    if (!this.#raced) {
      this.#raced = true;
      await this.update(this.#snapshot, this.#race(this.#snapshot));
    }
    return read;
  }
}
