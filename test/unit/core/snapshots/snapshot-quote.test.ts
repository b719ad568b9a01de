import { describe, expect, it } from 'vitest';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { quoteSnapshot } from '../../../../core/snapshots/snapshot-quote.ts';

const MEASURED = {
  diskBytes: 100 * BYTES_PER_GIB,
  usedBytes: 40 * BYTES_PER_GIB,
  changedBytes: null,
  uploadBytesPerSecond: null,
  captureBytesPerSecond: null,
  shutdownSeconds: null,
};

describe('quoteSnapshot', () => {
  it("prices the used bytes as billing does, and takes the documentation's pessimistic pace before any measurement", () => {
    const quote = quoteSnapshot(MEASURED, false);

    // 100 GB disk, 40 GB used: $2.00 a month.
    expect(quote.monthlyCost).toEqual({ amount: '2.00', currency: 'USD' });
    expect(quote.sizeBytes).toBe(40 * BYTES_PER_GIB);
    expect(quote.newBytes).toBeNull();
    // 100 GiB captured and 40 GiB read at 2 GB a minute.
    expect(quote.durationSeconds).toBe(Math.ceil((140 * BYTES_PER_GIB * 60) / 2_000_000_000));
    expect(quote.downtimeSeconds).toBe(0);
  });

  it("uploads only what changed where blocks are tracked, at the host's measured pace", () => {
    const quote = quoteSnapshot(
      {
        ...MEASURED,
        changedBytes: 2 * BYTES_PER_GIB,
        uploadBytesPerSecond: BYTES_PER_GIB / 10,
        captureBytesPerSecond: 100 * BYTES_PER_GIB,
        shutdownSeconds: 12,
      },
      true,
    );

    expect(quote.newBytes).toBe(2 * BYTES_PER_GIB);
    // Shutdown 12 s, capture 1 s, upload 20 s; the slice is off for the first two only.
    expect(quote.downtimeSeconds).toBe(13);
    expect(quote.durationSeconds).toBe(33);
  });

  it('counts a full graceful timeout for a shutdown the host never measured', () => {
    expect(quoteSnapshot({ ...MEASURED, captureBytesPerSecond: 1e15 }, true).downtimeSeconds).toBe(
      61,
    );
  });
});
