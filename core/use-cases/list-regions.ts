import type { Ports } from '../ports/ports.ts';
import type { Region } from '../regions/region.ts';

/** The regions this deployment serves, in display order. */
export async function listRegions(deps: Pick<Ports, 'regions'>): Promise<readonly Region[]> {
  return deps.regions.list();
}
