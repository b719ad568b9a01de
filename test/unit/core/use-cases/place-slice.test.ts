import { describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { NoHostAvailableError } from '../../../../core/hosts/host-errors.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import { SliceNotFoundError } from '../../../../core/slices/slice-errors.ts';
import { placeSlice } from '../../../../core/use-cases/place-slice.ts';
import { aBuildingSlice } from '../../../support/records.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';

const SECRET = 'a-host-secret-of-at-least-32-characters';
const HOSTS = [
  { id: 'fra1-a', region: 'fra1', url: 'https://a.fra1.test', secret: SECRET },
  { id: 'fra1-b', region: 'fra1', url: 'https://b.fra1.test', secret: SECRET },
  { id: 'nyc1-a', region: 'nyc1', url: 'https://a.nyc1.test', secret: SECRET },
];

describe('placeSlice', () => {
  const given = givenPorts(() => ({}), { hosts: HOSTS });

  /** A 10 GiB slice being built in `region`, stored in `ports`. */
  async function aSliceToPlace(ports: MemoryPorts, region = 'fra1'): Promise<Slice> {
    const slice = aBuildingSlice({
      id: ports.ids.next('slice'),
      region,
      diskBytes: 10 * BYTES_PER_GIB,
    });
    await ports.slices.create(slice);
    return slice;
  }

  it('places the slice on the least-loaded host of its region and counts it there', async () => {
    const { ports } = given;
    await ports.hostLoad.claim('fra1-a', 'slc_elsewhere');
    const slice = await aSliceToPlace(ports);

    const placement = await placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id });

    expect(placement).toEqual({ hostId: 'fra1-b', diskBytes: 10 * BYTES_PER_GIB });
    expect((await ports.slices.get(ACCOUNT, slice.id))?.hostId).toBe('fra1-b');
    expect(ports.hostLoad.slicesOnHost('fra1-b')).toEqual([slice.id]);
  });

  it('skips hosts whose memory holds no more slices, and refuses when all are full', async () => {
    const ports = createMemoryPorts({
      now: NOW,
      hosts: [
        { id: 'fra1-a', region: 'fra1', url: 'https://a.fra1.test', secret: SECRET, slots: 1 },
        { id: 'fra1-b', region: 'fra1', url: 'https://b.fra1.test', secret: SECRET, slots: 2 },
      ],
    });
    const slices = [
      await aSliceToPlace(ports),
      await aSliceToPlace(ports),
      await aSliceToPlace(ports),
    ];

    const placed = [];
    for (const slice of slices) {
      placed.push((await placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id })).hostId);
    }
    const fourth = await aSliceToPlace(ports);

    expect(placed).toEqual(['fra1-a', 'fra1-b', 'fra1-b']);
    await expect(
      placeSlice(ports, { accountId: ACCOUNT, sliceId: fourth.id }),
    ).rejects.toBeInstanceOf(NoHostAvailableError);
  });

  it('prefers the host listed first when loads are equal', async () => {
    const { ports } = given;
    const slice = await aSliceToPlace(ports);

    const placement = await placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id });

    expect(placement.hostId).toBe('fra1-a');
  });

  it('spreads consecutive slices over the hosts of the region', async () => {
    const { ports } = given;
    const first = await aSliceToPlace(ports);
    const second = await aSliceToPlace(ports);

    const placements = [
      await placeSlice(ports, { accountId: ACCOUNT, sliceId: first.id }),
      await placeSlice(ports, { accountId: ACCOUNT, sliceId: second.id }),
    ];

    expect(placements.map((placement) => placement.hostId)).toEqual(['fra1-a', 'fra1-b']);
  });

  it('keeps the host and counts the slice once when the step is retried', async () => {
    const { ports } = given;
    const slice = await aSliceToPlace(ports);
    const first = await placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id });

    const retried = await placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id });

    expect(retried).toEqual(first);
    expect(ports.hostLoad.slicesOnHost(first.hostId)).toEqual([slice.id]);
    expect((await ports.hostLoad.slicesOn(['fra1-a', 'fra1-b'])).get('fra1-b')).toBe(0);
  });

  it('counts a slice whose host was recorded by a try that failed before counting it', async () => {
    const { ports } = given;
    const slice = await aSliceToPlace(ports);
    await ports.slices.update(slice, { ...slice, hostId: 'fra1-b' });

    const placement = await placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id });

    expect(placement.hostId).toBe('fra1-b');
    expect(ports.hostLoad.slicesOnHost('fra1-b')).toEqual([slice.id]);
  });

  it('refuses a region without hosts and places nothing', async () => {
    const regions = [{ id: 'fra1', name: 'Frankfurt 1' }];
    const ports = createMemoryPorts({
      now: NOW,
      regions,
      hosts: HOSTS.filter((h) => h.id === 'nyc1-a'),
    });
    const slice = await aSliceToPlace(ports, 'fra1');

    await expect(placeSlice(ports, { accountId: ACCOUNT, sliceId: slice.id })).rejects.toThrow(
      NoHostAvailableError,
    );
    expect((await ports.slices.get(ACCOUNT, slice.id))?.hostId).toBeNull();
  });

  it('refuses a slice that does not exist in the account', async () => {
    const { ports } = given;
    const slice = await aSliceToPlace(ports);

    await expect(placeSlice(ports, { accountId: 'acct-2', sliceId: slice.id })).rejects.toThrow(
      SliceNotFoundError,
    );
  });
});
