import type { Host } from '../hosts/host.ts';
import { NoHostAvailableError } from '../hosts/host-errors.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { assignSliceHost } from '../slices/slice-placement.ts';
import { changeSlice } from './get-slice.ts';

/** Where a slice was placed, and the disk its host must build. */
export interface Placement {
  readonly hostId: string;
  readonly diskBytes: number;
}

type Deps = Pick<Ports, 'slices' | 'hosts' | 'hostLoad' | 'clock'>;

async function leastLoadedHost(deps: Deps, region: string): Promise<Host> {
  const hosts = await deps.hosts.hostsIn(region);
  const load = await deps.hostLoad.slicesOn(hosts.map((host) => host.id));
  let chosen: Host | undefined;
  for (const host of hosts) {
    // A full host is skipped: its agent would refuse to power the slice on.
    if (host.slots !== undefined && (load.get(host.id) ?? 0) >= host.slots) continue;
    // Ties go to the host listed first, so placement is predictable.
    if (!chosen || (load.get(host.id) ?? 0) < (load.get(chosen.id) ?? 0)) chosen = host;
  }
  if (!chosen) throw new NoHostAvailableError(region);
  return chosen;
}

/**
 * Places a building slice on the least-loaded host of its region that has a slot left (hosts say
 * how many slices their memory runs) and counts it there. The host is
 * recorded on the slice before it is counted, so a retry after any failure finds the same host
 * and counts the slice once. NoHostAvailableError when the region has no host with room.
 */
export async function placeSlice(
  deps: Deps,
  input: { accountId: string; sliceId: string },
): Promise<Placement> {
  const placed = await changeSlice(deps, input, async (slice) => {
    if (slice.hostId !== null) return { slice, hostId: slice.hostId };
    const host = await leastLoadedHost(deps, slice.region);
    const next = assignSliceHost(slice, host.id, toIsoTime(deps.clock.now()));
    await deps.slices.update(slice, next);
    return { slice: next, hostId: host.id };
  });
  await deps.hostLoad.claim(placed.hostId, placed.slice.id);
  return { hostId: placed.hostId, diskBytes: placed.slice.diskBytes };
}
