import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalClock, parseDuration } from '../../../local/clock.ts';

const HOUR_MS = 60 * 60 * 1000;

describe('LocalClock', () => {
  const dirs: string[] = [];

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the machine time plus its offset, and starts where it is told', () => {
    const clock = LocalClock.startingAt('2026-04-01T00:15:00.000Z');
    const ahead = new LocalClock({ offsetMs: HOUR_MS });

    const read = clock.nowMs();
    const gap = ahead.nowMs() - Date.now();

    expect(read - Date.parse('2026-04-01T00:15:00.000Z')).toBeGreaterThanOrEqual(0);
    expect(read - Date.parse('2026-04-01T00:15:00.000Z')).toBeLessThan(1_000);
    expect(Math.round(gap / 1000)).toBe(3600);
  });

  it('fires every timer that falls due when moved, once each, in the order they fell due', () => {
    const clock = new LocalClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`late at ${clock.offsetMs}`), 2 * HOUR_MS);
    clock.setTimeout(() => fired.push(`early at ${clock.offsetMs}`), HOUR_MS);
    const later = clock.setTimeout(() => fired.push('after the move'), 5 * HOUR_MS);

    clock.advance(3 * HOUR_MS);
    const afterMove = [...fired];
    clock.clearTimeout(later);
    clock.advance(3 * HOUR_MS);

    expect(afterMove).toEqual([`early at ${3 * HOUR_MS}`, `late at ${3 * HOUR_MS}`]);
    expect(fired).toEqual(afterMove);
  });

  it('fires a timer by itself when its time comes on the machine clock too', async () => {
    const clock = new LocalClock({ offsetMs: HOUR_MS });

    const fired = await new Promise<number>((resolve) => {
      const armedAt = clock.nowMs();
      clock.setTimeout(() => resolve(clock.nowMs() - armedAt), 20);
    });

    expect(fired).toBeGreaterThanOrEqual(20);
  });

  it('moves only forward', () => {
    const clock = new LocalClock();

    clock.advanceTo('2001-01-01T00:00:00.000Z');

    expect(clock.offsetMs).toBe(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('keeps its offset in a file across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-clock-'));
    dirs.push(dir);
    const file = join(dir, 'clock.json');

    const first = LocalClock.persistedIn(file);
    const fresh = first.offsetMs;
    first.advance(2 * HOUR_MS);
    const again = LocalClock.persistedIn(file);

    expect(fresh).toBe(0);
    expect(again.offsetMs).toBe(2 * HOUR_MS);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ offsetMs: 2 * HOUR_MS });
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 2 * HOUR_MS],
    ['1d', 24 * HOUR_MS],
    ['1h30m', 1.5 * HOUR_MS],
    ['1.5h', 1.5 * HOUR_MS],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '2', 'h', '2 hours', '2h-5m', '-1h'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });
});
