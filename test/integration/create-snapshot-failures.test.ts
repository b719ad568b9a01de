import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentCommandType } from '../../agent/protocol/commands.ts';
import type { AgentErrorName } from '../../agent/protocol/errors.ts';
import { PROJECT_ROOT } from '../../local/lambdas.ts';
import {
  eventually,
  MIB,
  type SliceView,
  SnapshotBed,
  type SnapshotView,
} from './support/snapshot-bed.ts';

/** The upload step's HeartbeatSeconds, as the workflow's file declares it. */
const UPLOAD_HEARTBEAT_SECONDS = (
  JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'state-machines/create-snapshot.asl.json'), 'utf8'),
  ) as {
    States: { UploadImage: { HeartbeatSeconds: number } };
  }
).States.UploadImage.HeartbeatSeconds;

describe('the create-snapshot workflow when something fails', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 500 });

  async function request(token: string, sliceId: string) {
    const accepted = await bed.requestSnapshot(token, sliceId, { powerOff: true });
    expect(accepted.status).toBe(202);
    return accepted.body;
  }

  /**
   * What every failure must leave: the execution failed, the snapshot `failed` with `code`, its
   * operation failed with the same reason, the slice active (unlocked) and running as before,
   * no capture kept, no manifest of the failed snapshot and every chunk a manifest names stored
   * (what the failed upload wrote waits for the chunk collection), and `Snapshot Failed` exactly
   * once.
   */
  async function expectCleanFailure(
    owner: { accountId: string; token: string; slice: SliceView },
    accepted: { snapshot: { id: string }; operation: { id: string } },
    code: string,
    expected: { captured: boolean; sliceGone?: boolean },
  ) {
    const options = { ...owner, ...expected, code };
    const { token } = owner;
    const [snapshotId, operationId] = [accepted.snapshot.id, accepted.operation.id];
    const execution = await bed.finished('create-snapshot', operationId);
    expect(execution.status).toBe('FAILED');
    const snapshot = (await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${snapshotId}`))
      .body;
    expect(snapshot).toMatchObject({
      status: 'failed',
      error: { code: options.code, message: expect.any(String) },
      monthlyCost: { amount: '0.00' },
    });
    expect(await bed.operation(token, operationId)).toMatchObject({
      status: 'failed',
      error: snapshot.error,
    });
    expect(await bed.slice(token, options.slice.id)).toMatchObject({
      status: 'active',
      power: 'on',
    });
    if (!options.sliceGone) {
      expect(bed.agentPower(options.slice.id).power).toBe('on');
      expect(bed.captures(options.slice.id)).toEqual([]);
    }
    expect(await bed.manifests(options.accountId)).not.toContain(snapshotId);
    expect(await bed.chunkKeys(options.accountId)).toEqual(
      expect.arrayContaining(await bed.referencedChunkKeys(options.accountId)),
    );
    expect(await bed.eventsOf(snapshotId, options.captured ? 3 : 2)).toEqual([
      'Snapshot Requested',
      ...(options.captured ? ['Snapshot Captured'] : []),
      'Snapshot Failed',
    ]);
    // The slice takes the next snapshot at once: nothing of the failed one is in the way.
    const next = await bed.requestSnapshot(token, options.slice.id, {});
    expect(next.status).toBe(202);
    await bed.finished('create-snapshot', next.body.operation.id);
  }

  it('fails cleanly when the agent is down', async () => {
    const { accountId, token, slice } = await bed.sliceWithData();
    await bed.agent.stop();
    let accepted: Awaited<ReturnType<typeof request>>;
    try {
      accepted = await request(token, slice.id);
      const execution = await bed.finished('create-snapshot', accepted.operation.id);
      expect(execution.status).toBe('FAILED');
    } finally {
      await bed.restartAgent();
    }

    expect(await bed.statesEntered(accepted.operation.id)).toEqual(
      expect.arrayContaining(['PowerOffSlice', 'RestorePowerAfterFailure', 'FailSnapshot']),
    );
    await expectCleanFailure({ accountId, token, slice }, accepted, 'AGENT_UNREACHABLE', {
      captured: false,
    });
  });

  it.each<{
    step: string;
    type: AgentCommandType;
    name: AgentErrorName;
    code: string;
    captured: boolean;
  }>([
    {
      step: 'PowerOffSlice',
      type: 'power-off',
      name: 'PowerTimeout',
      code: 'POWER_TIMEOUT',
      captured: false,
    },
    {
      step: 'CaptureDisk',
      type: 'capture',
      name: 'AgentError',
      code: 'AGENT_FAILED',
      captured: false,
    },
    {
      step: 'RestorePowerState',
      type: 'power-on',
      name: 'AgentError',
      code: 'AGENT_FAILED',
      captured: false,
    },
    {
      step: 'UploadImage',
      type: 'upload',
      name: 'CaptureNotFound',
      code: 'CAPTURE_NOT_FOUND',
      captured: true,
    },
  ])(
    'fails cleanly when the agent reports $name at $step',
    async ({ step, type, name, code, captured }) => {
      const { accountId, token, slice } = await bed.sliceWithData();
      bed.front.failNext(type, { name, message: `${type} failed on purpose` });

      const accepted = await request(token, slice.id);

      await expectCleanFailure({ accountId, token, slice }, accepted, code, { captured });
      const entered = await bed.statesEntered(accepted.operation.id);
      expect(entered).toContain(step);
      expect(entered).toEqual(
        expect.arrayContaining(['Compensate', 'RestorePowerAfterFailure', 'DiscardCapture']),
      );
    },
  );

  it("removes a refused upload's manifest and leaves the chunks it stored to the collection", async () => {
    const { accountId, token, slice } = await bed.sliceWithData(2);
    const first = await request(token, slice.id);
    expect((await bed.finished('create-snapshot', first.operation.id)).status).toBe('SUCCEEDED');
    const kept = await bed.chunkKeys(accountId);
    bed.writeData(slice.id, [{ offset: 4 * MIB, bytes: 16 * MIB }], slice.diskBytes);
    bed.store.fault('refuse', { afterPuts: bed.store.chunkPuts + 2 });
    let accepted: Awaited<ReturnType<typeof request>>;
    try {
      accepted = await request(token, slice.id);
      await bed.finished('create-snapshot', accepted.operation.id);
    } finally {
      bed.store.fault('none');
    }

    expect(bed.store.chunkPuts).toBeGreaterThan(0);
    // The two chunks the upload stored before the refusal stay for the chunk collection.
    const afterCleanUp = await bed.chunkKeys(accountId);
    expect(afterCleanUp.filter((key) => !kept.includes(key))).toHaveLength(2);
    expect((await bed.stateOutput(accepted.operation.id, 'CleanUpUpload')).cleanup).toEqual({
      cleaned: true,
    });
    await expectCleanFailure({ accountId, token, slice }, accepted, 'STORE_UNAVAILABLE', {
      captured: true,
    });
    // The first snapshot's chunks were kept (the next snapshot added its own since).
    expect(await bed.chunkKeys(accountId)).toEqual(expect.arrayContaining(kept));
    expect(await bed.manifests(accountId)).toContain(first.snapshot.id);
  });

  it('fails cleanly when the agent stops heartbeating mid-upload', async () => {
    const { accountId, token, slice } = await bed.sliceWithData(4);
    bed.store.fault('hang', { afterPuts: bed.store.chunkPuts + 1 });
    let accepted: Awaited<ReturnType<typeof request>>;
    try {
      accepted = await request(token, slice.id);
      const { snapshot, operation } = accepted;
      // One chunk gets through to the store, the next ones hang there.
      await eventually(
        async () => (await bed.chunkKeys(accountId)).length === 1,
        'the first chunk to be stored',
      );
      const current = await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${snapshot.id}`);
      expect(current.body.status).toBe('uploading');
      // Paused, as a hung host: it neither works nor reports. The cloud's clock moves on past the
      // step's HeartbeatSeconds, again while the step still waits (a beat sent just before the
      // pause may land after a move), and never once it has given up.
      process.kill(bed.agent.pid, 'SIGSTOP');
      await eventually(async () => {
        const history = await bed.history('create-snapshot', operation.id);
        if (history.some((event) => event.type === 'TaskTimedOut')) return true;
        bed.clock.advance(UPLOAD_HEARTBEAT_SECONDS * 1000);
        return false;
      }, 'the missed heartbeat');
      await eventually(
        async () => (await bed.statesEntered(operation.id)).includes('Compensate'),
        'the compensation',
      );
      // Then the host crashes and comes back: the compensation reaches it again.
      process.kill(bed.agent.pid, 'SIGKILL');
      await bed.agent.stop();
      bed.store.fault('none');
      await bed.restartAgent();
    } finally {
      bed.store.fault('none');
    }

    const failed = (await bed.history('create-snapshot', accepted.operation.id)).find(
      (event) => event.type === 'TaskTimedOut',
    );
    await expectCleanFailure({ accountId, token, slice }, accepted, 'AGENT_TIMEOUT', {
      captured: true,
    });
    expect(failed?.taskTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
    expect((await bed.stateOutput(accepted.operation.id, 'CleanUpUpload')).cleanup).toEqual({
      cleaned: true,
    });
  });

  it('fails cleanly when the slice was deleted from its host meanwhile', async () => {
    const { accountId, token, slice } = await bed.sliceWithData();
    rmSync(join(bed.agent.dataDir, 'slices', slice.id), { recursive: true, force: true });

    const accepted = await request(token, slice.id);

    const execution = await bed.finished('create-snapshot', accepted.operation.id);
    expect(execution.status).toBe('FAILED');
    const snapshot = await bed.api<SnapshotView>(
      token,
      'GET',
      `/v1/snapshots/${accepted.snapshot.id}`,
    );
    expect(snapshot.body).toMatchObject({
      status: 'failed',
      error: { code: 'DISK_NOT_FOUND' },
    });
    expect(await bed.slice(token, slice.id)).toMatchObject({
      status: 'active',
    });
    expect(await bed.chunkKeys(accountId)).toEqual([]);
    expect(await bed.eventsOf(accepted.snapshot.id, 2)).toEqual([
      'Snapshot Requested',
      'Snapshot Failed',
    ]);
  });
});
