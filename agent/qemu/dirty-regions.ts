import { rm } from 'node:fs/promises';
import type { ByteRange } from '../disk/data-regions.ts';
import { programOutput } from '../run-program.ts';
import { DISK_NODE } from './qemu-vm.ts';
import type { QmpClient } from './qmp-client.ts';

const EXPORT_ID = 'dirty-bitmap';

interface MapEntry {
  readonly start: number;
  readonly length: number;
  readonly data: boolean;
}

/**
 * The regions a dirty bitmap marks. QMP has no command that lists a bitmap's bits; QEMU's NBD
 * server exports them as the `qemu:dirty-bitmap:<name>` metadata context, and `qemu-img map`
 * with `x-dirty-bitmap` reports them in place of allocation: a dirty extent reads as
 * `"data": false`. The export is read-only and lives only for this call.
 */
export async function dirtyRegions(
  qmp: QmpClient,
  options: { readonly bitmap: string; readonly nbdSocket: string; readonly qemuImg: string },
): Promise<ByteRange[]> {
  await rm(options.nbdSocket, { force: true });
  await qmp.execute('nbd-server-start', {
    addr: { type: 'unix', data: { path: options.nbdSocket } },
  });
  try {
    await qmp.execute('block-export-add', {
      type: 'nbd',
      id: EXPORT_ID,
      'node-name': DISK_NODE,
      name: EXPORT_ID,
      bitmaps: [options.bitmap],
    });
    const json = await programOutput(options.qemuImg, [
      ...['map', '--output=json', '--image-opts'],
      [
        'driver=nbd',
        'server.type=unix',
        `server.path=${options.nbdSocket}`,
        `export=${EXPORT_ID}`,
        `x-dirty-bitmap=qemu:dirty-bitmap:${options.bitmap}`,
      ].join(','),
    ]);
    const regions: ByteRange[] = [];
    for (const entry of JSON.parse(json) as MapEntry[]) {
      if (entry.data) continue;
      const last = regions.at(-1);
      if (last && last.end === entry.start) {
        regions[regions.length - 1] = { start: last.start, end: entry.start + entry.length };
      } else regions.push({ start: entry.start, end: entry.start + entry.length });
    }
    return regions;
  } finally {
    await qmp.execute('block-export-del', { id: EXPORT_ID, mode: 'hard' }).catch(() => undefined);
    await qmp.execute('nbd-server-stop').catch(() => undefined);
    await rm(options.nbdSocket, { force: true });
  }
}
