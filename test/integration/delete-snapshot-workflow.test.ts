import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { UlidIdGenerator } from '../../adapters/node/ulid-id-generator.ts';
import { newOperation } from '../../core/operations/operation.ts';
import { localDocumentClient } from '../contract/dynamo-document-client.ts';
import { HOLD_DELETION, heldDeletion } from './support/held-deletion.ts';
import { expectAccepted, expectRefusedFor } from './support/slice-checks.ts';
import {
  eventually,
  MIB,
  type OperationView,
  SnapshotBed,
  type SnapshotView,
  sameBytes,
} from './support/snapshot-bed.ts';

interface ChargesView {
  lines: { snapshotId: string; from: string; to: string; amount: string }[];
}

describe('the delete-snapshot workflow', () => {
  const bed = SnapshotBed.forSuite({
    heartbeatMs: 2_000,
    agentSettings: { AGENT_CONCURRENCY: '2' },
    // A deletion takes milliseconds; held a moment, a second request surely finds it under way.
    adjustDefinition: heldDeletion,
  });

  async function deleted(token: string, snapshotId: string) {
    const accepted = await bed.purge(token, snapshotId);
    if (accepted.status !== 202) throw new Error(`delete: ${JSON.stringify(accepted.body)}`);
    return {
      accepted,
      execution: await bed.finished('delete-snapshot', accepted.body.operation.id),
    };
  }

  /** A fresh account with a slice of 12 MiB of data (3 chunks) and a snapshot of it. */
  async function sliceWithSnapshot() {
    const { accountId, token, slice } = await bed.sliceWithData();
    const first = await bed.snapshotOf(token, slice.id, { name: 'first' });
    return { accountId, token, slice, first };
  }

  it('removes the manifest and leaves the chunks to the collection; the other still restores byte for byte', async () => {
    const { accountId, token, slice, first } = await sliceWithSnapshot();
    bed.writeData(slice.id, [{ offset: 4 * MIB + 10, bytes: 100 }], slice.diskBytes);
    const second = await bed.snapshotOf(token, slice.id, { name: 'second' });
    const secondImage = await bed.copyOfDisk(slice.id);
    const storedBefore = await bed.chunkKeys(accountId);

    const { accepted, execution } = await deleted(token, first.id);

    expectAccepted(accepted, 'snapshot.delete', { type: 'snapshot', id: first.id });
    expect(execution.status).toBe('SUCCEEDED');
    expect(storedBefore).toHaveLength(4);
    expect(await bed.manifests(accountId)).toEqual([second.id]);
    // Every chunk stays, the one only the deleted snapshot named too: the collection reclaims it.
    expect(await bed.chunkKeys(accountId)).toEqual(storedBefore);
    expect(await bed.referencedChunkKeys(accountId)).toHaveLength(3);
    expect(
      (await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${first.id}`)).body,
    ).toMatchObject({ status: 'deleted', monthlyCost: { amount: '0.00' } });
    const listed = await bed.api<{ items: SnapshotView[] }>(token, 'GET', '/v1/snapshots');
    expect(listed.body.items.map((each) => each.id)).toEqual([second.id]);
    expect(await bed.eventsOf(first.id, 4)).toEqual([
      'Snapshot Requested',
      'Snapshot Captured',
      'Snapshot Available',
      'Snapshot Deleted',
    ]);
    const copy = await bed.sliceFrom(token, second.id);
    expect(sameBytes(bed.diskPath(copy.id), secondImage)).toBe(true);
    expect((await deleted(token, second.id)).execution.status).toBe('SUCCEEDED');
    expect(await bed.manifests(accountId)).toEqual([]);
    expect(await bed.chunkKeys(accountId)).toEqual(storedBefore);
  });

  it('stops billing at the moment of the request', async () => {
    const { token, first } = await sliceWithSnapshot();
    // Held for an hour of the cloud's time, the snapshot has a line of its own.
    bed.clock.advance(60 * 60 * 1000);

    // The line ends at the second of the request.
    const before = new Date(Math.floor(bed.clock.nowMs() / 1000) * 1000).toISOString();
    const { accepted } = await deleted(token, first.id);
    const after = bed.clock.now().toISOString();
    const month = before.slice(0, 7);
    const charges = await bed.api<ChargesView>(token, 'GET', `/v1/billing/charges?month=${month}`);

    expect(accepted.status).toBe(202);
    const to = charges.body.lines.find((each) => each.snapshotId === first.id)?.to ?? '';
    expect([to >= before, to <= after]).toEqual([true, true]);
  });

  it('keeps every chunk a snapshot taken at the same moment needs', async () => {
    const { accountId, token, slice, first } = await sliceWithSnapshot();
    bed.writeData(slice.id, [{ offset: 8 * MIB, bytes: MIB }], slice.diskBytes);
    // The new snapshot's one changed chunk takes seconds to store: its upload is in flight while
    // the deletion runs, counting on the two chunks it shares with the snapshot deleted.
    bed.store.fault('slow', { delayMs: 3_000 });
    let capture: SnapshotView;
    let deletion: Awaited<ReturnType<typeof deleted>>;
    try {
      const requested = await bed.requestSnapshot(token, slice.id);
      await eventually(async () => {
        const seen = await bed.api<SnapshotView>(
          token,
          'GET',
          `/v1/snapshots/${requested.body.snapshot.id}`,
        );
        return seen.body.status === 'uploading';
      }, 'the upload to be in flight');
      deletion = await deleted(token, first.id);
      await bed.finished('create-snapshot', requested.body.operation.id);
      capture = (
        await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${requested.body.snapshot.id}`)
      ).body;
    } finally {
      bed.store.fault('none');
    }
    const image = await bed.copyOfDisk(slice.id);

    expect(deletion.execution.status).toBe('SUCCEEDED');
    expect(capture.status).toBe('available');
    const stored = new Set(await bed.chunkKeys(accountId));
    const missing = (await bed.referencedChunkKeys(accountId)).filter((key) => !stored.has(key));
    expect(missing).toEqual([]);
    expect(await bed.manifests(accountId)).toEqual([capture.id]);
    const copy = await bed.sliceFrom(token, capture.id);
    expect(sameBytes(bed.diskPath(copy.id), image)).toBe(true);
  });

  describe('refusals', () => {
    it('answers 409 while a new slice is being made from the snapshot', async () => {
      const { token, first } = await sliceWithSnapshot();

      const { started: created, meanwhile: refused } = await bed.whileReadsHeld(
        'create-slice',
        () =>
          bed.api<{ operation: OperationView }>(token, 'POST', '/v1/slices', {
            body: { name: 'copy', region: 'fra1', diskGB: 1, snapshotId: first.id },
          }),
        () => bed.purge(token, first.id),
      );

      expect(created.body.operation.type).toBe('slice.create');
      expectRefusedFor(refused, 'SNAPSHOT_IN_USE', created.body.operation);
      expect((await deleted(token, first.id)).execution.status).toBe('SUCCEEDED');
    });

    it('answers 409 while the snapshot is still being taken, and 409 while it is being deleted', async () => {
      const { token, slice, first } = await sliceWithSnapshot();
      bed.writeData(slice.id, [{ offset: 0, bytes: MIB }], slice.diskBytes);
      bed.store.fault('slow', { delayMs: 2_000 });
      try {
        const taking = await bed.requestSnapshot(token, slice.id);

        const early = await bed.purge(token, taking.body.snapshot.id);
        const first409 = await bed.purge(token, first.id);
        const twice = await bed.purge(token, first.id);

        expect(early.status).toBe(409);
        expect(early.body).toMatchObject({
          code: 'ILLEGAL_TRANSITION',
          detail: expect.stringMatching(/cannot become deleting/),
        });
        expect(first409.status).toBe(202);
        expect(twice.status).toBe(409);
        expect(twice.body).toMatchObject({
          code: 'SNAPSHOT_BEING_DELETED',
          detail: expect.stringMatching(/is being deleted/),
        });
        await bed.finished('create-snapshot', taking.body.operation.id);
      } finally {
        bed.store.fault('none');
      }
    });

    it("answers 404 for another account's snapshot and leaves it as it was", async () => {
      const alice = await sliceWithSnapshot();
      const bob = await bed.account();
      const { first } = alice;

      const refused = await bed.purge(bob.token, first.id);

      expect(refused.status).toBe(404);
      expect(
        (await bed.api<SnapshotView>(alice.token, 'GET', `/v1/snapshots/${first.id}`)).body.status,
      ).toBe('available');
    });
  });

  describe('of a protected snapshot', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const access = {
      client,
      tableName: inject('tableName'),
      cursorSigner: new HmacSigner('protected-snapshot-test-cursor-key-012345'),
    };
    afterAll(() => client.destroy());

    it('answers 409 to DELETE and deletes again once protection is off', async () => {
      const { accountId, token, first } = await sliceWithSnapshot();
      const chunks = await bed.chunkKeys(accountId);

      const protect = await bed.api<SnapshotView>(token, 'PATCH', `/v1/snapshots/${first.id}`, {
        body: { protected: true },
      });
      const refused = await bed.purge(token, first.id);
      const kept = await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${first.id}`);

      expect(protect.body).toMatchObject({ protected: true });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'SNAPSHOT_PROTECTED',
        detail: expect.stringMatching(/is protected/),
      });
      expect(kept.body).toMatchObject({ status: 'available', protected: true });
      expect(await bed.chunkKeys(accountId)).toEqual(chunks);
      await bed.api(token, 'PATCH', `/v1/snapshots/${first.id}`, { body: { protected: false } });
      expect((await deleted(token, first.id)).execution.status).toBe('SUCCEEDED');
    });

    it('is refused by the workflow’s first step when started any other way, nothing deleted', async () => {
      const { accountId, token, first } = await sliceWithSnapshot();
      await bed.api(token, 'PATCH', `/v1/snapshots/${first.id}`, { body: { protected: true } });
      const chunks = await bed.chunkKeys(accountId);
      // A path that skips the request's guard: the record deleting and the workflow started by
      // hand, as an operator or a faulty caller might.
      const snapshots = new DynamoSnapshotRepository(access);
      const stored = await snapshots.get(accountId, first.id);
      if (!stored) throw new Error('the snapshot is gone');
      const operation = newOperation({
        id: new UlidIdGenerator().next('operation'),
        accountId,
        type: 'snapshot.delete',
        resourceId: first.id,
        now: new Date().toISOString(),
      });
      await snapshots.update(stored, {
        ...stored,
        status: 'deleting',
        deletionOperationId: operation.id,
      });
      await new DynamoOperationRepository(access).create(operation);

      await bed.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: bed.cloud.stateMachineArn('delete-snapshot'),
          name: operation.id,
          input: JSON.stringify({ accountId, snapshotId: first.id, operationId: operation.id }),
        }),
      );
      const execution = await bed.finished('delete-snapshot', operation.id);
      const failed = await bed.api<OperationView>(token, 'GET', `/v1/operations/${operation.id}`);

      expect(execution.status).toBe('FAILED');
      expect(await bed.statesEntered(operation.id, 'delete-snapshot')).toEqual([
        HOLD_DELETION,
        'DeleteImage',
        'FailSnapshotDeletion',
        'Failed',
      ]);
      expect(failed.body).toMatchObject({
        status: 'failed',
        error: { code: 'SNAPSHOT_PROTECTED' },
      });
      expect(await bed.chunkKeys(accountId)).toEqual(chunks);
      expect(await bed.manifests(accountId)).toEqual([first.id]);
    });
  });
});
