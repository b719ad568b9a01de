import { describe, expect, it } from 'vitest';
import { billingWindow, computeMonthlyCharges } from '../../../../core/billing/charges.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import {
  SnapshotAlreadyRecycledError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotNotRecycledError,
  SnapshotProtectedError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { getAccountSettings } from '../../../../core/use-cases/get-account-settings.ts';
import { listSnapshots } from '../../../../core/use-cases/list-snapshots.ts';
import { recoverSnapshot } from '../../../../core/use-cases/recover-snapshot.ts';
import { requestRestore } from '../../../../core/use-cases/request-restore.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { updateAccountSettings } from '../../../../core/use-cases/update-account-settings.ts';
import { updateSnapshot } from '../../../../core/use-cases/update-snapshot.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { eventsOf } from './support/outcomes.ts';
import {
  aFailedSnapshot,
  anAvailableSnapshot,
  aRequestedRestore,
  aSnapshotToRecycle,
  PURGE_AT,
  RECYCLE_AT,
  SNAPSHOT_AT,
} from './support/use-case-steps.ts';

const RECOVER_AT = '2025-03-05T08:30:00.000Z';

describe('the recycle bin', () => {
  const given = givenPorts(aSnapshotToRecycle);

  const recycle = (snapshotId = given.snapshot.id) =>
    requestSnapshotDeletion(given.ports, { accountId: ACCOUNT, snapshotId });
  const recover = (snapshotId = given.snapshot.id, accountId = ACCOUNT) =>
    recoverSnapshot(given.ports, { accountId, snapshotId });
  const deletions = () =>
    given.ports.workflows.started.filter((each) => each.workflow === 'delete-snapshot');
  const stored = async (snapshotId = given.snapshot.id) =>
    given.ports.snapshots.get(ACCOUNT, snapshotId);
  const listed = async (status: 'recycled' | null = null) =>
    (await listSnapshots(given.ports, { accountId: ACCOUNT, status })).items.map((each) => each.id);

  describe('requestSnapshotDeletion', () => {
    it('puts an available snapshot in the bin for the default 7 days, its operation done at once', async () => {
      const { ports, snapshot } = given;
      const { snapshot: recycled, operation } = await recycle();

      expect(recycled).toMatchObject({
        status: 'recycled',
        deletedAt: RECYCLE_AT,
        purgeAt: PURGE_AT,
        deletionOperationId: operation.id,
      });
      expect(await stored()).toEqual(recycled);
      expect(operation).toMatchObject({
        type: 'snapshot.delete',
        status: 'succeeded',
        resourceId: snapshot.id,
        startedAt: RECYCLE_AT,
        finishedAt: RECYCLE_AT,
      });
      expect(await ports.operations.get(ACCOUNT, operation.id)).toEqual(operation);
      expect(deletions()).toEqual([]);
    });

    it('stops billing at that second and keeps the image', async () => {
      const { ports, snapshot } = given;
      await recycle();

      expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
        expect.objectContaining({ snapshotId: snapshot.id, from: SNAPSHOT_AT, to: RECYCLE_AT }),
      ]);
      expect(await ports.images.in('fra1').readImage(ACCOUNT, snapshot.id)).not.toBeNull();
    });

    it('tells Snapshot Recycled with its purge time, in the same write', async () => {
      const { ports, slice, snapshot } = given;
      const { operation } = await recycle();

      expect(eventsOf(ports, EVENT.snapshotRecycled)).toEqual([
        {
          detailType: EVENT.snapshotRecycled,
          detail: {
            accountId: ACCOUNT,
            snapshotId: snapshot.id,
            sliceId: slice.id,
            operationId: operation.id,
            name: snapshot.name,
            deletedAt: RECYCLE_AT,
            purgeAt: PURGE_AT,
          },
        },
      ]);
    });

    it('leaves it out of the normal lists and shows it in the bin', async () => {
      const { ports, slice, snapshot } = given;
      const other = await anAvailableSnapshot(ports, slice);

      await recycle();

      expect(await listed()).toEqual([other.id]);
      expect(await listed('recycled')).toEqual([snapshot.id]);
    });

    it("keeps it as long as the account's recycleBinDays say", async () => {
      const { ports } = given;
      await updateAccountSettings(ports, { accountId: ACCOUNT, changes: { recycleBinDays: 14 } });

      const { snapshot: recycled } = await recycle();

      expect(recycled.purgeAt).toBe('2025-03-16T10:00:00.000Z');
    });

    it('deletes at once, as before the bin, when recycleBinDays is 0', async () => {
      const { ports, snapshot } = given;
      await updateAccountSettings(ports, { accountId: ACCOUNT, changes: { recycleBinDays: 0 } });

      const { snapshot: deleting, operation } = await recycle();

      expect(deleting).toMatchObject({ status: 'deleting', deletedAt: RECYCLE_AT, purgeAt: null });
      expect(operation.status).toBe('running');
      expect(deletions()).toEqual([
        {
          workflow: 'delete-snapshot',
          input: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id },
        },
      ]);
      expect(eventsOf(ports, EVENT.snapshotRecycled)).toEqual([]);
    });

    it('deletes a failed snapshot at once: there is nothing to keep', async () => {
      const { ports, slice } = given;
      const failed = await aFailedSnapshot(ports, slice);

      const { snapshot: deleting } = await recycle(failed.id);

      expect(deleting.status).toBe('deleting');
      expect(deletions()).toHaveLength(1);
    });

    it('recycles a snapshot a restore reads: the restore goes on, only a purge waits', async () => {
      const { ports, snapshot } = given;
      const restore = await aRequestedRestore(ports, snapshot);

      const { snapshot: recycled } = await recycle();

      expect(recycled.status).toBe('recycled');
      expect(recycled.readers.map((reader) => reader.operationId)).toEqual([restore.operationId]);
    });

    it('refuses to recycle it twice, and purges it with purge', async () => {
      const { ports, snapshot } = given;
      await recycle();
      ports.clock.advanceSeconds(60);

      await expect(recycle()).rejects.toThrow(SnapshotAlreadyRecycledError);
      const { snapshot: deleting, operation } = await requestSnapshotDeletion(ports, {
        accountId: ACCOUNT,
        snapshotId: snapshot.id,
        purge: true,
      });

      // Billing stopped when it went into the bin, and that moment stays.
      expect(deleting).toMatchObject({ status: 'deleting', deletedAt: RECYCLE_AT, purgeAt: null });
      expect(operation.status).toBe('running');
      expect(await listed('recycled')).toEqual([]);
      expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
        expect.objectContaining({ snapshotId: snapshot.id, to: RECYCLE_AT }),
      ]);
    });

    it('refuses a protected snapshot, bin or not, and leaves it available and billed', async () => {
      const { ports, snapshot } = given;
      await updateSnapshot(ports, { accountId: ACCOUNT, snapshotId: snapshot.id, protected: true });

      await expect(recycle()).rejects.toThrow(SnapshotProtectedError);
      await expect(
        requestSnapshotDeletion(ports, {
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          purge: true,
        }),
      ).rejects.toThrow(SnapshotProtectedError);
      expect(await stored()).toMatchObject({ status: 'available', deletedAt: null, purgeAt: null });
      expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
        expect.objectContaining({ snapshotId: snapshot.id, to: null }),
      ]);
      expect(deletions()).toEqual([]);
    });

    it('refuses a restore or a new slice from a recycled snapshot', async () => {
      const { ports, snapshot } = given;
      await recycle();

      await expect(
        requestRestore(ports, { accountId: ACCOUNT, snapshotId: snapshot.id }),
      ).rejects.toThrow(SnapshotNotAvailableError);
    });
  });

  describe('recoverSnapshot', () => {
    it('makes it available again, out of the bin, with Snapshot Recovered', async () => {
      const { ports, slice, snapshot } = given;
      await recycle();
      ports.clock.set(RECOVER_AT);

      const recovered = await recover();

      expect(recovered).toMatchObject({ status: 'available', deletedAt: null, purgeAt: null });
      expect(await stored()).toEqual(recovered);
      expect(await listed()).toEqual([snapshot.id]);
      expect(await listed('recycled')).toEqual([]);
      expect(eventsOf(ports, EVENT.snapshotRecovered)).toEqual([
        expect.objectContaining({
          detail: {
            accountId: ACCOUNT,
            snapshotId: snapshot.id,
            sliceId: slice.id,
            name: snapshot.name,
            recoveredAt: RECOVER_AT,
          },
        }),
      ]);
    });

    it('bills it again from that second: a gap exactly over its time in the bin', async () => {
      const { ports, snapshot } = given;
      await recycle();
      ports.clock.set(RECOVER_AT);

      await recover();

      const usage = await ports.usage.forAccount(ACCOUNT, '2025-03');
      expect(usage).toEqual([
        expect.objectContaining({ snapshotId: snapshot.id, from: SNAPSHOT_AT, to: RECYCLE_AT }),
        expect.objectContaining({ snapshotId: snapshot.id, from: RECOVER_AT, to: null }),
      ]);
      const charges = computeMonthlyCharges(
        ACCOUNT,
        usage,
        billingWindow('2025-03', '2025-03-10T00:00:00.000Z'),
        'estimate',
      );
      expect(charges.lines.map((line) => [line.from, line.to])).toEqual([
        [SNAPSHOT_AT, RECYCLE_AT],
        [RECOVER_AT, '2025-03-10T00:00:00.000Z'],
      ]);
    });

    it('can go in and out of the bin again, one billed period each time', async () => {
      const { ports } = given;
      await recycle();
      ports.clock.set(RECOVER_AT);
      await recover();
      ports.clock.set('2025-03-06T00:00:00.000Z');
      await recycle();
      ports.clock.set('2025-03-07T00:00:00.000Z');

      await recover();

      expect(
        (await ports.usage.forAccount(ACCOUNT, '2025-03')).map((each) => [each.from, each.to]),
      ).toEqual([
        [SNAPSHOT_AT, RECYCLE_AT],
        [RECOVER_AT, '2025-03-06T00:00:00.000Z'],
        ['2025-03-07T00:00:00.000Z', null],
      ]);
      expect(eventsOf(ports, EVENT.snapshotRecovered)).toHaveLength(2);
    });

    it('refuses a snapshot that is not in the bin', async () => {
      await expect(recover()).rejects.toThrow(SnapshotNotRecycledError);

      expect((await stored())?.status).toBe('available');
    });

    it('does not find a snapshot of another account, nor a deleted one', async () => {
      const { ports, slice, snapshot } = given;
      await recycle();

      await expect(recover(snapshot.id, 'acct-2')).rejects.toThrow(SnapshotNotFoundError);
      const deleted = await anAvailableSnapshot(ports, slice);
      await ports.snapshots.update(deleted, { ...deleted, status: 'deleted' });
      await expect(recover(deleted.id)).rejects.toThrow(SnapshotNotFoundError);
      expect((await stored())?.status).toBe('recycled');
    });
  });

  describe('settings', () => {
    it('are the defaults until the account changes them', async () => {
      const { ports } = given;
      expect(await getAccountSettings(ports, { accountId: ACCOUNT })).toEqual({
        accountId: ACCOUNT,
        recycleBinDays: 7,
        updatedAt: null,
      });
    });

    it('keep a change, and leave a field left out as it was', async () => {
      const { ports } = given;
      await updateAccountSettings(ports, { accountId: ACCOUNT, changes: { recycleBinDays: 3 } });

      const unchanged = await updateAccountSettings(ports, { accountId: ACCOUNT, changes: {} });

      expect(unchanged).toMatchObject({ recycleBinDays: 3, updatedAt: RECYCLE_AT });
      expect(await getAccountSettings(ports, { accountId: 'acct-2' })).toMatchObject({
        recycleBinDays: 7,
      });
    });

    it('refuse a recycleBinDays that is not a whole number from 0 to 14', async () => {
      const { ports } = given;
      for (const recycleBinDays of [-1, 15, 2.5, Number.NaN]) {
        await expect(
          updateAccountSettings(ports, { accountId: ACCOUNT, changes: { recycleBinDays } }),
        ).rejects.toThrow(InvalidInputError);
      }

      expect(await ports.settings.get(ACCOUNT)).toBeNull();
    });
  });
});
