import { describe, expect, it } from 'vitest';
import { MIB, SnapshotBed } from './support/snapshot-bed.ts';

interface Quote {
  sizeBytes: number;
  monthlyCost: { amount: string; currency: string };
  newBytes: number | null;
  durationSeconds: number;
  downtimeSeconds: number;
}

/** The agents' chunk size: a quote is exact to the chunk, as billing counts whole chunks. */
const CHUNK_BYTES = 4 * MIB;

describe('snapshot quotes, from the real agent scanning the disk', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  const quoteOf = (token: string, sliceId: string, query = '') =>
    bed.api<Quote>(token, 'GET', `/v1/slices/${sliceId}/snapshot-quote${query}`);

  it('quotes the size of the snapshot then taken, its price, and downtime only when powered off', async () => {
    const { token, slice } = await bed.sliceWithData(0);
    bed.writeData(
      slice.id,
      [
        { offset: 0, bytes: 2 * MIB },
        { offset: 300 * MIB + 333, bytes: 9 * MIB },
        { offset: 700 * MIB, bytes: 1 },
      ],
      slice.diskBytes,
    );

    const running = await quoteOf(token, slice.id);
    const poweredOff = await quoteOf(token, slice.id, '?powerOff=true');
    const snapshot = await bed.snapshotOf(token, slice.id);
    const measured = await quoteOf(token, slice.id);

    expect(running.status).toBe(200);
    // Chunks 0, 75 to 77 and 175 hold data: five chunks, whatever else the disk holds.
    expect(running.body.sizeBytes).toBe(5 * CHUNK_BYTES);
    expect(Math.abs(running.body.sizeBytes - snapshot.sizeBytes)).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(running.body).toMatchObject({
      newBytes: null,
      downtimeSeconds: 0,
      monthlyCost: { currency: 'USD' },
    });
    expect(Number(running.body.monthlyCost.amount)).toBeCloseTo(
      (running.body.sizeBytes / 1024 ** 3) * 0.05,
      2,
    );
    expect(poweredOff.body.downtimeSeconds).toBeGreaterThan(0);
    expect(poweredOff.body.durationSeconds).toBeGreaterThanOrEqual(poweredOff.body.downtimeSeconds);
    // Once the host measured an upload, the quote takes its pace, not the pessimistic 2 GB/min.
    expect(measured.body.sizeBytes).toBe(running.body.sizeBytes);
    expect(measured.body.durationSeconds).toBeLessThanOrEqual(running.body.durationSeconds);
  });

  it("changes nothing, and answers another account's slice as missing", async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const other = await bed.account();

    const quoted = await quoteOf(token, slice.id);
    const theirs = await quoteOf(other.token, slice.id);
    const after = await bed.slice(token, slice.id);
    const bad = await quoteOf(token, slice.id, '?powerOff=maybe');

    expect(quoted.body.sizeBytes).toBe(CHUNK_BYTES);
    expect(theirs.status).toBe(404);
    expect(after).toMatchObject({ status: 'active', power: slice.power });
    expect(bed.captures(slice.id)).toEqual([]);
    expect(bad.status).toBe(400);
    const snapshots = await bed.api<{ items: unknown[] }>(
      token,
      'GET',
      `/v1/snapshots?sliceId=${slice.id}`,
    );
    expect(snapshots.body.items).toEqual([]);
  });
});
