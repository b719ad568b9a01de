import { describe, expect, it } from 'vitest';
import {
  compareAmounts,
  formatBytes,
  formatClock,
  formatDedupRatio,
  formatDuration,
  formatMonth,
  formatUtc,
  gibAtLeast,
  recentMonths,
} from '../../console/src/format/units.ts';
import { estimateSnapshot } from '../../console/src/pages/slices/snapshot-estimate.ts';

const GIB = 1024 ** 3;

describe('console units', () => {
  it('writes sizes as disks are read', () => {
    expect(formatBytes(40 * GIB)).toBe('40.00 GiB');
    expect(formatBytes(196 * 1024 * 1024)).toBe('196.0 MiB');
    expect(formatBytes(0)).toBe('0 B');
    expect(gibAtLeast(GIB + 1)).toBe(2);
  });

  it('writes durations to the precision that matters', () => {
    expect(formatDuration(0.431)).toBe('0.43 s');
    expect(formatDuration(9.87)).toBe('9.9 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatClock(7.9)).toBe('0:07');
    expect(formatClock(3723)).toBe('1:02:03');
  });

  it('writes instants in UTC whatever the browser’s zone', () => {
    expect(formatUtc('2026-03-01T10:00:05.123Z')).toBe('2026-03-01 10:00:05 UTC');
  });

  it('offers months back from now, newest first, across a year', () => {
    expect(recentMonths(new Date('2026-02-15T00:00:00Z'), 3)).toEqual([
      '2026-02',
      '2026-01',
      '2025-12',
    ]);
    expect(formatMonth('2026-03')).toBe('March 2026');
  });

  it('says how much smaller sharing and compression make the data', () => {
    expect(formatDedupRatio(3.2)).toBe('3.2× smaller');
    expect(formatDedupRatio(7.02)).toBe('7.02× smaller');
    expect(formatDedupRatio(12)).toBe('12× smaller');
    expect(formatDedupRatio(1)).toBe('no smaller');
    expect(formatDedupRatio(0.8)).toBe('1.25× larger');
  });

  it('orders amounts of money by their decimal digits', () => {
    const amounts = ['10.5', '2.00', '0.123456', '9.99', '2', '0.12', '010.49'];
    expect([...amounts].sort(compareAmounts)).toEqual([
      '0.12',
      '0.123456',
      '2.00',
      '2',
      '9.99',
      '010.49',
      '10.5',
    ]);
    expect(compareAmounts('2.00', '2')).toBe(0);
  });
});

describe('estimateSnapshot', () => {
  it('prices 40 GiB in use at exactly $2.00 a month and expects at most the pessimistic rate', () => {
    expect(estimateSnapshot(40 * GIB)).toEqual({
      sizeBytes: 40 * GIB,
      monthlyCost: { amount: '2.00', currency: 'USD' },
      ratePerGBMonth: '0.05',
      atMostSeconds: Math.ceil((40 * GIB * 60) / 2_000_000_000),
    });
  });

  it('has no estimate while the space in use is unknown', () => {
    expect(estimateSnapshot(0)).toBeNull();
  });
});
