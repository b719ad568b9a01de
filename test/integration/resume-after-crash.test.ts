import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  type OperationView,
  SnapshotBed,
  type SnapshotView,
} from './support/snapshot-bed.ts';

/**
 * The local Step Functions killed mid-workflow and started again on what it had on disk, the rest
 * of the cloud running on: the execution goes on from the step it was in, as the same execution,
 * and its waiting agent step dispatches the same command (the same task token, so the same command
 * ID) rather than a new one. The real state machine files, handlers and agent.
 */
describe('workflows whose Step Functions died under them', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 500 });

  async function ended(token: string, operationId: string): Promise<OperationView> {
    return eventually(async () => {
      const { body } = await bed.api<OperationView>(token, 'GET', `/v1/operations/${operationId}`);
      return body.status !== 'running' && body;
    }, `operation ${operationId} ended`);
  }

  /** The agent's journaled commands of one type for the slice. */
  function journaled(sliceId: string, type: string): string[] {
    const dir = join(bed.agent.dataDir, 'commands');
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')))
      .filter((record) => record.command.type === type && record.command.sliceId === sliceId)
      .map((record) => record.command.commandId);
  }

  it('finishes a snapshot cut short mid-upload: the same upload goes on, and it is available', async () => {
    const { token, slice } = await bed.sliceWithData(3);
    bed.store.fault('slow', { afterPuts: 1, delayMs: 1_000 });
    const { snapshot, operation } = (await bed.requestSnapshot(token, slice.id)).body;
    await eventually(async () => bed.store.chunkPuts >= 1, 'the upload under way');

    await bed.cloud.crashStepFunctions();
    bed.store.fault('none');
    const done = await ended(token, operation.id);

    expect(done.status).toBe('succeeded');
    expect(
      (await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${snapshot.id}`)).body,
    ).toMatchObject({ status: 'available' });
    expect((await bed.finished('create-snapshot', operation.id)).status).toBe('SUCCEEDED');
    const uploads = bed.front.commands.filter(
      (command) => command.type === 'upload' && command.sliceId === slice.id,
    );
    // Dispatched twice under one task token: one command for the agent, run once.
    expect(uploads).toHaveLength(2);
    expect(new Set(uploads.map((command) => command.callback?.taskToken)).size).toBe(1);
    expect(journaled(slice.id, 'upload')).toEqual([uploads[0]?.commandId]);
    const history = await bed.history('create-snapshot', operation.id);
    expect(history.filter((event) => event.type === 'ExecutionRedriven')).toHaveLength(1);
    expect(await bed.statesEntered(operation.id)).toEqual(
      expect.arrayContaining(['UploadImage', 'RegisterSnapshot']),
    );
    expect(
      (await bed.statesEntered(operation.id)).filter((s) => s === 'ConfirmSliceLock'),
    ).toHaveLength(1);
  });

  it('runs an agent step whose command never reached the agent when the same dispatch comes again', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const held = bed.front.holdNext('capture');
    const { snapshot, operation } = (await bed.requestSnapshot(token, slice.id)).body;
    const lost = await held;

    await bed.cloud.crashStepFunctions();
    const done = await ended(token, operation.id);

    expect(done.status).toBe('succeeded');
    expect(
      (await bed.api<SnapshotView>(token, 'GET', `/v1/snapshots/${snapshot.id}`)).body,
    ).toMatchObject({ status: 'available' });
    const captures = bed.front.commands.filter(
      (command) => command.type === 'capture' && command.sliceId === slice.id,
    );
    expect(captures.map((command) => command.commandId)).toEqual([lost.commandId, lost.commandId]);
    expect(journaled(slice.id, 'capture')).toEqual([lost.commandId]);
    expect(bed.agentPower(slice.id).power).toBe('on');
  });
});
