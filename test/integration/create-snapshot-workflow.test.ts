import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  MIB,
  type OperationView,
  type SliceView,
  SnapshotBed,
  type SnapshotView,
} from './support/snapshot-bed.ts';

/** True when two files hold the same bytes (`cmp` exits 0). */
function sameBytes(a: string, b: string): boolean {
  return spawnSync('cmp', ['--silent', a, b]).status === 0;
}

describe('the create-snapshot workflow, through the real agent', () => {
  const bed = SnapshotBed.forSuite({
    // Heartbeats cost a callback each: every 2 s keeps 20 uploads at once light. Two chunks in
    // flight, so that a slowed store makes an upload last long enough to watch.
    heartbeatMs: 2_000,
    agentSettings: { AGENT_CONCURRENCY: '2' },
  });

  /** Takes a snapshot through the API and waits for its workflow to end. */
  async function takeSnapshot(token: string, sliceId: string, body: Record<string, unknown> = {}) {
    const accepted = await bed.requestSnapshot(token, sliceId, body);
    if (accepted.status !== 202) throw new Error(`snapshot: ${JSON.stringify(accepted.body)}`);
    const { snapshot, operation } = accepted.body;
    const execution = await bed.finished('create-snapshot', operation.id);
    return { accepted: accepted.body, execution, snapshot, operation };
  }

  /** Makes a new slice from the snapshot (create-slice: the agent's write-image). */
  async function restoredSlice(token: string, snapshotId: string): Promise<SliceView> {
    const created = await bed.api<{ slice: SliceView; operation: OperationView }>(
      token,
      'POST',
      '/v1/slices',
      { body: { name: 'restored', region: 'fra1', diskGB: 1, snapshotId } },
    );
    expect(created.status).toBe(202);
    expect((await bed.finished('create-slice', created.body.operation.id)).status).toBe(
      'SUCCEEDED',
    );
    return created.body.slice;
  }

  it.each([
    { powerOff: true, consistency: 'powered-off' },
    { powerOff: false, consistency: 'crash-consistent' },
  ])(
    'snapshots a running slice with data (powerOff $powerOff) and restores it byte for byte',
    async ({ powerOff, consistency }) => {
      const { accountId, token } = await bed.account();
      const slice = await bed.activeSlice(token);
      const usedBytes = bed.writeData(
        slice.id,
        [
          { offset: 0, bytes: 3 * MIB },
          { offset: 100 * MIB + 12_345, bytes: 5 * MIB },
          { offset: slice.diskBytes - MIB, bytes: MIB },
        ],
        slice.diskBytes,
      );
      const powerBefore = bed.agentPower(slice.id);

      const { accepted, execution, snapshot, operation } = await takeSnapshot(token, slice.id, {
        name: 'before upgrade',
        powerOff,
      });

      expect(accepted.snapshot).toMatchObject({
        name: 'before upgrade',
        status: 'pending',
        sliceId: slice.id,
        completedAt: null,
      });
      expect(accepted.operation).toMatchObject({ type: 'snapshot.create', status: 'running' });
      expect(execution.status).toBe('SUCCEEDED');
      const done = (await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${snapshot.id}`)).body;
      expect(done).toMatchObject({
        status: 'available',
        sizeBytes: usedBytes,
        diskBytes: slice.diskBytes,
        consistency,
        error: null,
        progress: { percent: 100, bytesDone: usedBytes, bytesTotal: usedBytes, etaSeconds: 0 },
      });
      expect(done.completedAt).not.toBeNull();
      expect(done.durationSeconds).toEqual(expect.any(Number));
      // A power-off of a fraction of a second still reads as downtime: 0 means never off.
      if (powerOff) expect(done.downtimeSeconds).toBeGreaterThan(0);
      else expect(done.downtimeSeconds).toBe(0);
      expect(await bed.operation(token, operation.id)).toMatchObject({
        status: 'succeeded',
        error: null,
        progress: { percent: 100 },
      });
      expect(await bed.slice(token, slice.id)).toMatchObject({
        status: 'active',
        power: 'on',
        usedBytes,
      });
      expect(bed.agentPower(slice.id).power).toBe('on');
      const entered = await bed.statesEntered(operation.id);
      if (powerOff) {
        expect(entered).toEqual(expect.arrayContaining(['PowerOffSlice', 'RestorePowerState']));
      } else {
        expect(entered).not.toContain('PowerOffSlice');
        expect(bed.agentPower(slice.id)).toEqual(powerBefore);
      }
      expect(bed.captures(slice.id)).toEqual([]);
      expect(await bed.eventsOf(snapshot.id, 3)).toEqual([
        'Snapshot Requested',
        'Snapshot Captured',
        'Snapshot Available',
      ]);
      expect(await bed.chunkKeys(accountId)).toEqual(await bed.referencedChunkKeys(accountId));

      const restored = await restoredSlice(token, snapshot.id);

      expect(sameBytes(bed.diskPath(restored.id), bed.diskPath(slice.id))).toBe(true);
    },
  );

  it('uploads only the changed chunks of the next snapshot, building on the previous one', async () => {
    const { accountId, token } = await bed.account();
    const slice = await bed.activeSlice(token);
    bed.writeData(slice.id, [{ offset: 0, bytes: 12 * MIB }], slice.diskBytes);
    const first = await takeSnapshot(token, slice.id, { powerOff: false });
    bed.writeData(slice.id, [{ offset: 4 * MIB, bytes: MIB }], slice.diskBytes);

    const second = await takeSnapshot(token, slice.id, { powerOff: false });

    expect(second.execution.status).toBe('SUCCEEDED');
    const upload = bed.front.commands.find(
      (command) => command.type === 'upload' && command.snapshotId === second.snapshot.id,
    );
    expect(upload).toMatchObject({ baseSnapshotIds: [first.snapshot.id] });
    expect(await bed.stateOutput(second.operation.id, 'UploadImage')).toMatchObject({
      upload: { uploadedChunks: 1, reusedChunks: 2, usedBytes: 12 * MIB },
    });
    expect(await bed.chunkKeys(accountId)).toEqual(await bed.referencedChunkKeys(accountId));
    expect(await bed.chunkKeys(accountId)).toHaveLength(4);
  });

  it('shows upload progress on the snapshot and its operation while the upload runs', async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token);
    const usedBytes = bed.writeData(slice.id, [{ offset: 0, bytes: 48 * MIB }], slice.diskBytes);
    // 12 chunks, 2 at a time, 1.5 s each: about 9 s of upload, several heartbeats into it.
    bed.store.fault('slow', { delayMs: 1_500 });
    const seen: { snapshot: SnapshotView; operation: OperationView }[] = [];
    try {
      const accepted = await bed.requestSnapshot(token, slice.id, {});
      const { snapshot, operation } = accepted.body;
      for (;;) {
        const [current, op] = await Promise.all([
          bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${snapshot.id}`),
          bed.api<OperationView>(token, 'GET', `/v1/operations/${operation.id}`),
        ]);
        seen.push({ snapshot: current.body, operation: op.body });
        if (!['pending', 'capturing', 'uploading'].includes(current.body.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      expect(accepted.status).toBe(202);
      expect(accepted.body.snapshot.progress).toMatchObject({ percent: 0, bytesDone: 0 });
      const midway = seen.find(
        ({ snapshot: each }) =>
          each.status === 'uploading' &&
          each.progress.bytesDone > 0 &&
          each.progress.bytesDone < each.progress.bytesTotal,
      );
      expect(midway?.snapshot.progress).toMatchObject({
        bytesTotal: usedBytes,
        etaSeconds: expect.any(Number),
      });
      expect(midway?.snapshot.progress.percent).toBeGreaterThan(0);
      expect(midway?.snapshot.progress.percent).toBeLessThan(100);
      expect(
        seen.some(
          ({ operation: op }) =>
            op.progress.bytesDone > 0 && op.progress.bytesDone < op.progress.bytesTotal,
        ),
      ).toBe(true);
      expect(seen.at(-1)?.snapshot).toMatchObject({
        status: 'available',
        progress: { percent: 100, bytesDone: usedBytes },
      });
    } finally {
      bed.store.fault('none');
    }
  });

  it('takes snapshots of 20 slices at once', { timeout: 180_000 }, async () => {
    const { accountId, token } = await bed.account();
    const slices = await Promise.all(
      Array.from({ length: 20 }, (_, index) => bed.activeSlice(token, `web-${index}`, 500)),
    );
    for (const slice of slices) {
      bed.writeData(slice.id, [{ offset: 0, bytes: MIB }], slice.diskBytes);
    }

    const requested = await Promise.all(
      slices.map((slice) => bed.requestSnapshot(token, slice.id, {})),
    );
    const executions = await Promise.all(
      requested.map((answer) =>
        bed.finished('create-snapshot', answer.body.operation.id, { pollMs: 500 }),
      ),
    );

    expect(requested.map((answer) => answer.status)).toEqual(slices.map(() => 202));
    expect(executions.map((execution) => execution.status)).toEqual(slices.map(() => 'SUCCEEDED'));
    const listed = await bed.api<{ items: SnapshotView[] }>(
      token,
      'GET',
      '/v1/snapshots?limit=100',
    );
    expect(listed.body.items.map((snapshot) => snapshot.status)).toEqual(
      slices.map(() => 'available'),
    );
    expect(await bed.chunkKeys(accountId)).toEqual(await bed.referencedChunkKeys(accountId));
  });

  it('answers 202 to one of two requests on the same slice and 409 to the other', async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token);

    const answers = await Promise.all([
      bed.requestSnapshot(token, slice.id, {}),
      bed.requestSnapshot(token, slice.id, {}),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    const winner = answers.find((answer) => answer.status === 202);
    const loser = answers.find((answer) => answer.status === 409);
    const { detail } = (loser?.body ?? {}) as unknown as { detail: string };
    expect(detail).toContain(winner?.body.operation.id);
    expect(detail).toContain('snapshot.create');
    expect(loser?.body).toMatchObject({
      code: 'SLICE_BUSY',
      operationId: winner?.body.operation.id,
      operationType: 'snapshot.create',
    });
    const operationId = winner?.body.operation.id ?? '';
    expect((await bed.finished('create-snapshot', operationId)).status).toBe('SUCCEEDED');
    const next = await bed.requestSnapshot(token, slice.id, {});
    expect(next.status).toBe(202);
    await bed.finished('create-snapshot', next.body.operation.id);
  });

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token);
    const key = { 'idempotency-key': `snap-${slice.id}` };

    const first = await bed.requestSnapshot(token, slice.id, { name: 'nightly' }, key);
    const replay = await bed.requestSnapshot(token, slice.id, { name: 'nightly' }, key);
    const reused = await bed.requestSnapshot(token, slice.id, { name: 'other' }, key);

    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.body.snapshot.id).toBe(first.body.snapshot.id);
    expect(replay.body.operation.id).toBe(first.body.operation.id);
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await bed.finished('create-snapshot', first.body.operation.id);
    const listed = await bed.api<{ items: SnapshotView[] }>(
      token,
      'GET',
      `/v1/snapshots?sliceId=${slice.id}`,
    );
    expect(listed.body.items.map((snapshot) => snapshot.id)).toEqual([first.body.snapshot.id]);
  });

  it('answers 404 for a slice that is unknown or of another account, and 400 for a bad body', async () => {
    const owner = await bed.account();
    const stranger = await bed.account();
    const slice = await bed.activeSlice(owner.token);

    const foreign = await bed.requestSnapshot(stranger.token, slice.id, {});
    const unknown = await bed.requestSnapshot(owner.token, 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E', {});
    const invalid = await bed.requestSnapshot(owner.token, slice.id, { powerOff: 'yes', x: 1 });

    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(invalid.status).toBe(400);
    expect(
      (invalid.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort(),
    ).toEqual(['body.powerOff', 'body.x']);
    expect(
      (await bed.api<SliceView>(owner.token, 'GET', `/v1/slices/${slice.id}`)).body,
    ).toMatchObject({
      status: 'active',
    });
  });
});
