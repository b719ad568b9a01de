import { join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { diskPathOf } from '../agent/disk/file-driver.ts';
import { agentDataDir } from '../local/agents.ts';
import { withBenchCloud, writeRandom } from './bench-cloud.ts';
import { type BenchRow, type BenchSuite, throughputRow } from './bench-row.ts';
import { LocalApi, type OperationBody, secondsSince, stateSpan } from './local-api.ts';
import { GiB, MiB } from './units.ts';

const SUITE = 'snapshot-workflow';
/** The slice's data: 1 GiB of random bytes (no chunk repeats, none compresses). */
const USED_BYTES = GiB;

interface Progress {
  percent: number;
  bytesDone: number;
}
interface SnapshotBody {
  id: string;
  status: string;
  sizeBytes: number;
  downtimeSeconds: number | null;
  durationSeconds: number | null;
  progress: Progress;
}
/** One snapshot taken through the API, timed from the request to the operation's end. */
interface TakenSnapshot {
  readonly seconds: number;
  readonly snapshot: SnapshotBody;
  readonly history: HistoryEvent[];
}

class SnapshotApi extends LocalApi {
  /** A slice built by the create-slice workflow; answers its id once it is active. */
  async activeSlice(diskGB: number): Promise<string> {
    const { slice, operation } = await this.call<{
      slice: { id: string };
      operation: OperationBody;
    }>('POST', '/v1/slices', { name: 'bench', region: 'fra1', diskGB });
    const done = await this.untilDone(operation.id, 50);
    if (done.status !== 'succeeded') throw new Error(`the bench slice was not built`);
    return slice.id;
  }

  async takeSnapshot(sliceId: string, powerOff: boolean): Promise<TakenSnapshot> {
    const started = performance.now();
    const { snapshot, operation } = await this.call<{
      snapshot: SnapshotBody;
      operation: OperationBody;
    }>('POST', `/v1/slices/${sliceId}/snapshots`, { powerOff });
    const done = await this.untilDone(operation.id, 25);
    const elapsed = secondsSince(started);
    if (done.status !== 'succeeded') throw new Error(`snapshot ${snapshot.id} ${done.status}`);
    return {
      seconds: elapsed,
      snapshot: await this.call<SnapshotBody>('GET', `/v1/snapshots/${snapshot.id}`),
      history: await this.history('create-snapshot', operation.id),
    };
  }

  /** Starts long work through the API and times it from the request to its operation's end. */
  async timed(
    workflow: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ seconds: number; history: HistoryEvent[]; resourceId: string }> {
    const started = performance.now();
    const accepted = await this.call<{ operation: OperationBody & { resourceId: string } }>(
      method,
      path,
      body,
    );
    const done = await this.untilDone(accepted.operation.id, 25);
    const elapsed = secondsSince(started);
    if (done.status !== 'succeeded') throw new Error(`${method} ${path}: ${done.status}`);
    return {
      seconds: elapsed,
      history: await this.history(workflow, accepted.operation.id),
      resourceId: accepted.operation.resourceId,
    };
  }
}

/**
 * The create-snapshot workflow end to end, through the same local pieces as `npm start` (the API
 * gateway, the handlers, the ASL on the local Step Functions, a real agent process, s3rver): a
 * slice with 1 GiB used, timed from the request to the operation's end (what a user waits for),
 * and the downtime of a powered-off snapshot; then a restore of the slice from it, a new slice from
 * it, and the deletions. The agent heartbeats every 2 s, as `npm start`'s.
 * Run it once per process: the handlers' composition root keeps the clients of the first cloud.
 */
export const snapshotWorkflowSuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    return withBenchCloud('snapshot', {}, async (cloud, dataDir) => {
      const api = new SnapshotApi(cloud, await cloud.mintToken('acct-bench'));
      const rows: BenchRow[] = [];
      try {
        const sliceId = await api.activeSlice(4);
        const hostId = Object.keys(cloud.endpoints.agents).find(
          (id) => cloud.endpoints.agents[id]?.region === 'fra1',
        );
        if (!hostId) throw new Error('no local host in fra1');
        const disk = diskPathOf(agentDataDir(join(dataDir, 'agents'), hostId), sliceId);
        log('writing 1 GiB of random data into a 4 GiB slice disk');
        writeRandom(disk, 0, USED_BYTES);

        log('snapshot, powered off');
        const off = await api.takeSnapshot(sliceId, true);
        rows.push(
          throughputRow(
            SUITE,
            '1 GiB used, powerOff: request → available',
            USED_BYTES,
            off.seconds,
            {
              note: `API durationSeconds ${off.snapshot.durationSeconds}; upload step ${stateSpan(off.history, 'UploadImage', 'UploadImage')?.toFixed(2)} s; sizeBytes ${off.snapshot.sizeBytes}`,
            },
          ),
        );
        const downtime = stateSpan(off.history, 'PowerOffSlice', 'RestorePowerState');
        rows.push({
          suite: SUITE,
          name: '1 GiB used, powerOff: downtime',
          ...(downtime === undefined ? {} : { seconds: downtime }),
          note: `power-off, capture, power-on (history); API downtimeSeconds ${off.snapshot.downtimeSeconds}`,
        });

        log('next snapshot, 8 MiB changed, running (crash-consistent)');
        writeRandom(disk, 512 * MiB, 8 * MiB);
        const incremental = await api.takeSnapshot(sliceId, false);
        rows.push({
          suite: SUITE,
          name: 'next snapshot, 8 MiB changed, running: request → available',
          seconds: incremental.seconds,
          note: `API downtimeSeconds ${incremental.snapshot.downtimeSeconds}; every chunk re-read and hashed, 2 uploaded`,
        });

        log('restore of the running slice from the first snapshot');
        writeRandom(disk, 0, 64 * MiB);
        const restored = await api.timed(
          'restore-slice',
          'POST',
          `/v1/snapshots/${off.snapshot.id}/restore`,
          { confirm: true },
        );
        rows.push(
          throughputRow(
            SUITE,
            'restore, 1 GiB used, running slice: request → done',
            USED_BYTES,
            restored.seconds,
            {
              note: `image written and verified ${stateSpan(restored.history, 'WriteImage', 'WriteImage')?.toFixed(2)} s; downtime ${stateSpan(restored.history, 'PowerOffSlice', 'RestorePowerState')?.toFixed(2)} s`,
            },
          ),
        );

        log('a new slice from the first snapshot');
        const created = await api.timed('create-slice', 'POST', '/v1/slices', {
          name: 'bench-copy',
          region: 'fra1',
          diskGB: 4,
          snapshotId: off.snapshot.id,
        });
        rows.push(
          throughputRow(
            SUITE,
            'new slice from it, 1 GiB used: request → active',
            USED_BYTES,
            created.seconds,
            {
              note: `image written and verified ${stateSpan(created.history, 'WriteImage', 'WriteImage')?.toFixed(2)} s`,
            },
          ),
        );

        log('deleting the second snapshot, then the first');
        const second = await api.timed(
          'delete-snapshot',
          'DELETE',
          `/v1/snapshots/${incremental.snapshot.id}?purge=true`,
        );
        const first = await api.timed(
          'delete-snapshot',
          'DELETE',
          `/v1/snapshots/${off.snapshot.id}?purge=true`,
        );
        rows.push({
          suite: SUITE,
          name: 'delete the incremental snapshot, then the full one (256 chunks)',
          seconds: first.seconds,
          note: `incremental first: ${second.seconds.toFixed(2)} s, 2 chunks its own; the full one removes the rest`,
        });
      } finally {
        api.close();
      }
      return rows;
    });
  },
};
