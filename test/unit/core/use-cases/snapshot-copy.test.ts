import { describe, expect, it, vi } from 'vitest';
import type { MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { chunkKeyOf, manifestKeyOf } from '../../../../blueprint/facts.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import { startSnapshotDeletion } from '../../../../core/snapshots/snapshot.ts';
import {
  SnapshotAlreadyInRegionError,
  SnapshotCorruptError,
  SnapshotInUseError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import {
  failSnapshotCopy,
  registerSnapshotCopy,
} from '../../../../core/use-cases/finish-snapshot-copy.ts';
import { reconcileOperation } from '../../../../core/use-cases/reconcile-operation.ts';
import { registerSnapshot } from '../../../../core/use-cases/register-snapshot.ts';
import { requestSnapshotCopy } from '../../../../core/use-cases/request-snapshot-copy.ts';
import {
  CHUNKS_PER_COPY_STEP,
  type CopyStepInput,
  copySnapshotChunks,
  planSnapshotCopy,
  settleSnapshotCopy,
} from '../../../../core/use-cases/transfer-snapshot-copy.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { expectOperationFailed } from './support/outcomes.ts';
import { anActiveSlice, anUploadingSnapshot } from './support/use-case-steps.ts';

const MiB = 1024 * 1024;

/** An available fra1 snapshot whose chunks take `sizes` bytes each in the store. */
async function aSnapshotOf(
  ports: MemoryPorts,
  slice: Slice,
  sizes: Readonly<Record<string, number>>,
): Promise<Snapshot> {
  const { step } = await anUploadingSnapshot(ports, slice, false);
  const hashes = Object.keys(sizes);
  ports.images.in('fra1').putChunks(ACCOUNT, hashes, sizes);
  ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, {
    diskBytes: slice.diskBytes,
    usedBytes: hashes.length * 4 * MiB,
    chunkHashes: hashes,
    chunkStoredBytes: sizes,
  });
  return registerSnapshot(ports, step);
}

/** The copy's workflow, step by step as copy-snapshot.asl.json runs it on success. */
async function runCopy(ports: MemoryPorts, step: CopyStepInput) {
  let transfer = await planSnapshotCopy(ports, step);
  const planned = await ports.operations.get(ACCOUNT, step.operationId);
  while (!transfer.done) transfer = await copySnapshotChunks(ports, { ...step, transfer });
  const settle = await settleSnapshotCopy(ports, step);
  const copy = await registerSnapshotCopy(ports, step);
  return { transfer, planned, settle, copy };
}

async function copyTo(ports: MemoryPorts, snapshotId: string, region = 'nyc1', name?: string) {
  const { snapshot, operation } = await requestSnapshotCopy(ports, {
    accountId: ACCOUNT,
    snapshotId,
    region,
    name,
  });
  return {
    snapshot,
    operation,
    step: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id },
  };
}

const inNyc1 = (ports: MemoryPorts) =>
  ports.images
    .in('nyc1')
    .keys()
    .filter((key) => key.startsWith(`${ACCOUNT}/chunks/`));

describe('copying a snapshot to another region', () => {
  const given = givenPorts(async (ports) => {
    const web = await anActiveSlice(ports, { name: 'web' });
    const source = await aSnapshotOf(ports, web, { a: 1000, b: 2000, c: 3000 });
    return { web, source };
  });

  it('makes a copying snapshot in the target region, reads its source as a reader and starts the workflow', async () => {
    const { ports, source } = given;
    await ports.snapshots.update(source, { ...source, labels: { env: 'prod' }, protected: true });

    const { snapshot, operation } = await copyTo(ports, source.id, 'nyc1', 'moved');

    expect(snapshot).toMatchObject({
      status: 'copying',
      region: 'nyc1',
      name: 'moved',
      sliceId: source.sliceId,
      diskBytes: source.diskBytes,
      consistency: source.consistency,
      labels: { env: 'prod' },
      protected: false,
      copiedFrom: { snapshotId: source.id, region: 'fra1' },
    });
    expect(operation).toMatchObject({
      type: 'snapshot.copy',
      resourceId: snapshot.id,
      bytesToTransfer: null,
    });
    expect(ports.workflows.started.filter((each) => each.workflow === 'copy-snapshot')).toEqual([
      {
        workflow: 'copy-snapshot',
        input: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id },
      },
    ]);
    const read = await ports.snapshots.get(ACCOUNT, source.id);
    expect(read?.readers.map((reader) => reader.operationId)).toEqual([operation.id]);
    expect(() =>
      startSnapshotDeletion(
        { ...(read as Snapshot), protected: false },
        '2025-03-01T11:00:00.000Z',
      ),
    ).toThrow(SnapshotInUseError);
  });

  it('refuses before writing anything: its own region, an unknown region, a snapshot not available, corrupt or of another account', async () => {
    const { ports, source, web } = given;
    const corrupt = await aSnapshotOf(ports, web, { d: 10 });
    await ports.snapshots.update(corrupt, { ...corrupt, verifyState: 'corrupt' });
    const { step } = await anUploadingSnapshot(ports, web, false);
    const before = (await ports.snapshots.list(ACCOUNT, {}, { limit: 100 })).items.length;

    const attempts: Array<[Promise<unknown>, new (...args: never[]) => Error]> = [
      [copyTo(ports, source.id, 'fra1'), SnapshotAlreadyInRegionError],
      [copyTo(ports, source.id, 'mars1'), UnknownRegionError],
      [copyTo(ports, step.snapshotId), SnapshotNotAvailableError],
      [copyTo(ports, corrupt.id), SnapshotCorruptError],
      [
        requestSnapshotCopy(ports, { accountId: 'acct-2', snapshotId: source.id, region: 'nyc1' }),
        SnapshotNotFoundError,
      ],
    ];

    for (const [attempt, error] of attempts) await expect(attempt).rejects.toBeInstanceOf(error);
    expect((await ports.snapshots.list(ACCOUNT, {}, { limit: 100 })).items).toHaveLength(before);
    expect(ports.workflows.started.filter((each) => each.workflow === 'copy-snapshot')).toEqual([]);
    expect((await ports.snapshots.get(ACCOUNT, source.id))?.readers).toEqual([]);
  });

  it('gives the operation its bytes to transfer and its first progress in one write', async () => {
    const { ports, source } = given;
    const { step } = await copyTo(ports, source.id);
    const updates = vi.spyOn(ports.operations, 'update');

    await planSnapshotCopy(ports, step);

    expect(updates).toHaveBeenCalledTimes(1);
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      bytesToTransfer: 6000,
      progress: { bytesTotal: 6000, bytesDone: 0 },
    });
  });

  it('plans the bytes to transfer, copies the chunks and makes the copy available, billed on its own', async () => {
    const { ports, source } = given;
    const { step } = await copyTo(ports, source.id);

    const { planned, copy } = await runCopy(ports, step);

    expect(planned).toMatchObject({ bytesToTransfer: 6000, progress: { bytesTotal: 6000 } });
    expect(inNyc1(ports)).toEqual(['a', 'b', 'c'].map((hash) => chunkKeyOf(ACCOUNT, hash)));
    expect(ports.images.in('nyc1').keys()).toContain(manifestKeyOf(ACCOUNT, copy.id));
    expect(copy).toMatchObject({ status: 'available', region: 'nyc1', sizeBytes: 12 * MiB });
    const operation = await ports.operations.get(ACCOUNT, step.operationId);
    expect(operation).toMatchObject({ status: 'succeeded', progress: { bytesDone: 6000 } });
    const events = ports.events.published.filter((event) => event.detail.snapshotId === copy.id);
    expect(events.map((event) => event.detailType)).toEqual([
      EVENT.snapshotAvailable,
      EVENT.snapshotCopied,
    ]);
    expect(events[1]?.detail).toMatchObject({
      sourceSnapshotId: source.id,
      sourceRegion: 'fra1',
      region: 'nyc1',
      bytesTransferred: 6000,
    });
    expect((await ports.snapshots.get(ACCOUNT, source.id))?.readers).toEqual([]);
    const billed = await ports.usage.forAccount(ACCOUNT, '2025-03');
    expect(billed.find((usage) => usage.snapshotId === copy.id)).toMatchObject({
      sizeBytes: 12 * MiB,
    });
  });

  it('transfers only the new chunks of a related snapshot copied after another', async () => {
    const { ports, source, web } = given;
    await runCopy(ports, (await copyTo(ports, source.id)).step);
    const next = await aSnapshotOf(ports, web, { a: 1000, b: 2000, e: 5000 });
    const copiedBefore = ports.imageTransfer.copied.length;

    const { step } = await copyTo(ports, next.id);
    const { planned, copy } = await runCopy(ports, step);

    expect(planned?.bytesToTransfer).toBe(5000);
    expect(ports.imageTransfer.copied.slice(copiedBefore)).toEqual([chunkKeyOf(ACCOUNT, 'e')]);
    expect(copy.status).toBe('available');
    expect(await ports.images.in('nyc1').readImage(ACCOUNT, copy.id)).toMatchObject({
      chunkKeys: ['a', 'b', 'e'].map((hash) => chunkKeyOf(ACCOUNT, hash)),
    });
  });

  it('writes again a chunk the target holds but its chunk collection condemned, as an upload does', async () => {
    const { ports, source } = given;
    ports.images.in('nyc1').putChunks(ACCOUNT, ['b'], { b: 2000 });
    await ports.collection
      .in('nyc1')
      .writeCondemned(ACCOUNT, new Map([['b', '2025-03-01T00:00:00.000Z']]));
    ports.images.in('nyc1').putChunks(ACCOUNT, ['c'], { c: 3000 });

    const { step } = await copyTo(ports, source.id);
    const { planned } = await runCopy(ports, step);

    expect(planned?.bytesToTransfer).toBe(3000);
    expect(ports.imageTransfer.copied).toEqual(['a', 'b'].map((hash) => chunkKeyOf(ACCOUNT, hash)));
  });

  it('waits to write its manifest while a sweep notice of the target region names one of its chunks', async () => {
    const { ports, source } = given;
    const { step } = await copyTo(ports, source.id);
    let transfer = await planSnapshotCopy(ports, step);
    while (!transfer.done) transfer = await copySnapshotChunks(ports, { ...step, transfer });
    const now = ports.clock.now();
    const notice = {
      markId: 'mark-1',
      publishedAt: now.toISOString(),
      eligible: ['a'],
      deleteUntil: new Date(now.getTime() + 3_600_000).toISOString(),
      endedAt: null,
    };
    await ports.collection.in('nyc1').writeNotice(ACCOUNT, notice);

    const waiting = await settleSnapshotCopy(ports, step);
    // The sweep deletes the chunk, then ends: registration writes it again.
    await ports.images.in('nyc1').deleteObjects([chunkKeyOf(ACCOUNT, 'a')]);
    await ports.collection
      .in('nyc1')
      .writeNotice(ACCOUNT, { ...notice, endedAt: now.toISOString() });
    const settled = await settleSnapshotCopy(ports, step);
    const copy = await registerSnapshotCopy(ports, step);

    expect(waiting).toEqual({ settled: false, noticesInTheWay: 1 });
    expect(settled).toEqual({ settled: true, noticesInTheWay: 0 });
    expect(copy.status).toBe('available');
    expect(await ports.images.in('nyc1').missingObjects([chunkKeyOf(ACCOUNT, 'a')])).toEqual([]);
  });

  it('copies a large image a page per step, with its progress growing each step', async () => {
    const { ports, web } = given;
    const sizes = Object.fromEntries(
      Array.from({ length: CHUNKS_PER_COPY_STEP + 3 }, (_, i) => [`h${i}`, 10]),
    );
    const large = await aSnapshotOf(ports, web, sizes);
    const { step } = await copyTo(ports, large.id);

    const plan = await planSnapshotCopy(ports, step);
    const first = await copySnapshotChunks(ports, { ...step, transfer: plan });
    const progress = (await ports.snapshots.get(ACCOUNT, step.snapshotId))?.progress;
    const second = await copySnapshotChunks(ports, { ...step, transfer: first });

    expect(plan).toMatchObject({
      chunks: CHUNKS_PER_COPY_STEP + 3,
      bytesToTransfer: 5150,
      done: false,
    });
    expect(first).toMatchObject({ next: CHUNKS_PER_COPY_STEP, bytesCopied: 5120, done: false });
    expect(progress).toMatchObject({ bytesDone: 5120, bytesTotal: 5150 });
    expect(second).toMatchObject({ next: CHUNKS_PER_COPY_STEP + 3, bytesCopied: 5150, done: true });
  });

  it('fails the copy, removes its manifest and lets the source go when a step fails', async () => {
    const { ports, source } = given;
    const { step } = await copyTo(ports, source.id);
    await planSnapshotCopy(ports, step);
    await ports.imageTransfer.copyManifest(
      ACCOUNT,
      { region: 'fra1', snapshotId: source.id },
      { region: 'nyc1', snapshotId: step.snapshotId },
    );

    const outcome = await failSnapshotCopy(ports, {
      ...step,
      error: { Error: 'ImageIncompleteError', Cause: 'a chunk to copy is missing' },
    });

    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'IMAGE_INCOMPLETE' } });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({ status: 'failed' });
    expect(ports.images.in('nyc1').keys()).not.toContain(manifestKeyOf(ACCOUNT, step.snapshotId));
    expect((await ports.snapshots.get(ACCOUNT, source.id))?.readers).toEqual([]);
    await expectOperationFailed(ports, step.operationId, { code: 'IMAGE_INCOMPLETE' });
    expect(
      ports.events.published.filter((event) => event.detail.snapshotId === step.snapshotId),
    ).toMatchObject([{ detailType: EVENT.snapshotFailed }]);
    const billed = await ports.usage.forAccount(ACCOUNT, '2025-03');
    expect(billed.map((usage) => usage.snapshotId)).not.toContain(step.snapshotId);
  });

  it('ends a copy whose workflow stopped, through the reconciler', async () => {
    const { ports, source } = given;
    const { step } = await copyTo(ports, source.id);
    ports.workflows.end(step.operationId, 'ABORTED');

    const reconciled = await reconcileOperation(ports, {
      accountId: ACCOUNT,
      operationId: step.operationId,
      executionStatus: 'ABORTED',
    });

    expect(reconciled).toMatchObject({ reconciled: true, status: 'failed' });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'failed',
      error: { code: 'WORKFLOW_ABORTED' },
    });
    expect((await ports.snapshots.get(ACCOUNT, source.id))?.readers).toEqual([]);
  });

  it('fails the copy and its operation, and lets the source go, when the workflow cannot start', async () => {
    const { ports, source } = given;

    const attempt = requestSnapshotCopy(
      { ...ports, workflows: STEP_FUNCTIONS_DOWN },
      { accountId: ACCOUNT, snapshotId: source.id, region: 'nyc1' },
    );

    await expect(attempt).rejects.toThrow('Step Functions is down');
    const copies = (await ports.snapshots.list(ACCOUNT, { region: 'nyc1' }, { limit: 10 })).items;
    expect(copies).toMatchObject([{ status: 'failed', error: { code: 'WORKFLOW_START_FAILED' } }]);
    const [operation] = (await ports.operations.list(ACCOUNT, { limit: 10 })).items;
    expect(operation).toMatchObject({ type: 'snapshot.copy', status: 'failed' });
    expect((await ports.snapshots.get(ACCOUNT, source.id))?.readers).toEqual([]);
  });
});
