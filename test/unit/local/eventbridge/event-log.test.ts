import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type EventLogEntry,
  EventLogWriter,
  eventLogPath,
  readEventLog,
  tailEventLog,
} from '../../../../local/eventbridge/event-log.ts';
import { tempDirPerTest } from '../../../support/temp-dir.ts';

function entry(id: string, receivedAt: string): EventLogEntry {
  return {
    receivedAt,
    bus: 'default',
    event: {
      version: '0',
      id,
      'detail-type': 'Snapshot Available',
      source: 'slice-snapshots',
      account: '123456789012',
      time: receivedAt.replace(/\.\d{3}Z$/, 'Z'),
      region: 'eu-central-1',
      resources: [],
      detail: { snapshotId: 'snp_01' },
    },
    matchedRules: [],
    deliveries: [],
  };
}

const dataDir = tempDirPerTest('event-log-');

describe('readEventLog', () => {
  it('answers no entries when there is no log yet', async () => {
    expect(readEventLog(join(dataDir.path, 'missing'))).toEqual([]);
  });

  it('reads entries oldest first, filtered by since and cut to the last limit', async () => {
    const writer = new EventLogWriter(dataDir.path);
    await writer.append(entry('e1', '2026-01-01T00:00:00.000Z'));
    await writer.append(entry('e2', '2026-01-02T00:00:00.000Z'));
    await writer.append(entry('e3', '2026-01-03T00:00:00.000Z'));

    const all = readEventLog(dataDir.path);
    const since = readEventLog(dataDir.path, { since: '2026-01-02T00:00:00Z' });
    const last = readEventLog(dataDir.path, { since: new Date('2026-01-01T00:00:00Z'), limit: 1 });

    expect(all.map((item) => item.event.id)).toEqual(['e1', 'e2', 'e3']);
    expect(since.map((item) => item.event.id)).toEqual(['e2', 'e3']);
    expect(last.map((item) => item.event.id)).toEqual(['e3']);
  });

  it('skips a line cut short and reads the rest', async () => {
    await writeFile(
      eventLogPath(dataDir.path),
      `${JSON.stringify(entry('e1', '2026-01-01T00:00:00.000Z'))}\n{"receivedAt":"2026-0\n`,
    );

    const entries = readEventLog(dataDir.path);

    expect(entries.map((item) => item.event.id)).toEqual(['e1']);
  });
});

describe('tailEventLog', () => {
  it('reports entries appended after it starts, including ones written in pieces', async () => {
    const writer = new EventLogWriter(dataDir.path);
    await writer.append(entry('old', '2026-01-01T00:00:00.000Z'));
    const seen: string[] = [];
    const stop = tailEventLog(dataDir.path, (item) => seen.push(item.event.id), { intervalMs: 10 });

    await writer.append(entry('new1', '2026-01-02T00:00:00.000Z'));
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['new1']);
    // A whole line and the start of the next in one write: the read that reports new2 has read
    // the piece of new3 too, before the rest of it is written.
    const line2 = JSON.stringify(entry('new2', '2026-01-03T00:00:00.000Z'));
    const line3 = JSON.stringify(entry('new3', '2026-01-04T00:00:00.000Z'));
    await appendFile(eventLogPath(dataDir.path), `${line2}\n${line3.slice(0, 20)}`);
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['new1', 'new2']);
    await appendFile(eventLogPath(dataDir.path), `${line3.slice(20)}\n`);
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['new1', 'new2', 'new3']);
    stop();

    expect(seen).toEqual(['new1', 'new2', 'new3']);
  });

  it('follows a log that does not exist yet', async () => {
    const seen: string[] = [];
    const stop = tailEventLog(dataDir.path, (item) => seen.push(item.event.id), { intervalMs: 10 });

    await new EventLogWriter(dataDir.path).append(entry('first', '2026-01-01T00:00:00.000Z'));
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['first']);
    stop();

    expect(seen).toEqual(['first']);
  });
});
