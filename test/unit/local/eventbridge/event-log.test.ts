import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventLogEntry,
  EventLogWriter,
  eventLogPath,
  readEventLog,
  tailEventLog,
} from '../../../../local/eventbridge/event-log.ts';

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

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'event-log-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('readEventLog', () => {
  it('answers no entries when there is no log yet', async () => {
    expect(readEventLog(join(dataDir, 'missing'))).toEqual([]);
  });

  it('reads entries oldest first, filtered by since and cut to the last limit', async () => {
    const writer = new EventLogWriter(dataDir);
    await writer.append(entry('e1', '2026-01-01T00:00:00.000Z'));
    await writer.append(entry('e2', '2026-01-02T00:00:00.000Z'));
    await writer.append(entry('e3', '2026-01-03T00:00:00.000Z'));

    const all = readEventLog(dataDir);
    const since = readEventLog(dataDir, { since: '2026-01-02T00:00:00Z' });
    const last = readEventLog(dataDir, { since: new Date('2026-01-01T00:00:00Z'), limit: 1 });

    expect(all.map((item) => item.event.id)).toEqual(['e1', 'e2', 'e3']);
    expect(since.map((item) => item.event.id)).toEqual(['e2', 'e3']);
    expect(last.map((item) => item.event.id)).toEqual(['e3']);
  });

  it('skips a line cut short and reads the rest', async () => {
    await writeFile(
      eventLogPath(dataDir),
      `${JSON.stringify(entry('e1', '2026-01-01T00:00:00.000Z'))}\n{"receivedAt":"2026-0\n`,
    );

    const entries = readEventLog(dataDir);

    expect(entries.map((item) => item.event.id)).toEqual(['e1']);
  });
});

describe('tailEventLog', () => {
  it('reports entries appended after it starts, including ones written in pieces', async () => {
    const writer = new EventLogWriter(dataDir);
    await writer.append(entry('old', '2026-01-01T00:00:00.000Z'));
    const seen: string[] = [];
    const stop = tailEventLog(dataDir, (item) => seen.push(item.event.id), { intervalMs: 10 });

    await writer.append(entry('new1', '2026-01-02T00:00:00.000Z'));
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['new1']);
    // A whole line and the start of the next in one write: the read that reports new2 has read
    // the piece of new3 too, before the rest of it is written.
    const line2 = JSON.stringify(entry('new2', '2026-01-03T00:00:00.000Z'));
    const line3 = JSON.stringify(entry('new3', '2026-01-04T00:00:00.000Z'));
    await appendFile(eventLogPath(dataDir), `${line2}\n${line3.slice(0, 20)}`);
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['new1', 'new2']);
    await appendFile(eventLogPath(dataDir), `${line3.slice(20)}\n`);
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['new1', 'new2', 'new3']);
    stop();

    expect(seen).toEqual(['new1', 'new2', 'new3']);
  });

  it('follows a log that does not exist yet', async () => {
    const seen: string[] = [];
    const stop = tailEventLog(dataDir, (item) => seen.push(item.event.id), { intervalMs: 10 });

    await new EventLogWriter(dataDir).append(entry('first', '2026-01-01T00:00:00.000Z'));
    await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['first']);
    stop();

    expect(seen).toEqual(['first']);
  });
});
