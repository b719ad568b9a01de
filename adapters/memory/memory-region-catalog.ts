import type { RegionCatalog } from '../../core/ports/region-catalog.ts';
import type { Region } from '../../core/regions/region.ts';

/** A fixed list of regions. */
export class MemoryRegionCatalog implements RegionCatalog {
  readonly #regions: readonly Region[];

  constructor(regions: readonly Region[]) {
    this.#regions = regions.map((region) => ({ id: region.id, name: region.name }));
  }

  async list(): Promise<readonly Region[]> {
    return this.#regions.map((region) => ({ ...region }));
  }

  async find(regionId: string): Promise<Region | null> {
    const region = this.#regions.find((each) => each.id === regionId);
    return region ? { ...region } : null;
  }
}
