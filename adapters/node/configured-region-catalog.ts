import type { RegionCatalog } from '../../core/ports/region-catalog.ts';
import type { Region } from '../../core/regions/region.ts';

/** The regions given by the deployment's configuration (the `REGIONS` variable, parsed upstream). */
export class ConfiguredRegionCatalog implements RegionCatalog {
  readonly #regions: readonly Region[];

  constructor(regions: readonly Region[]) {
    const ids = new Set(regions.map((region) => region.id));
    if (ids.size !== regions.length) throw new Error('region ids must be unique');
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
