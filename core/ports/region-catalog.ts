import type { Region } from '../regions/region.ts';

/** The regions this deployment serves. */
export interface RegionCatalog {
  /** Every region, in display order. */
  list(): Promise<readonly Region[]>;

  /** The region with this id, or null when it is not served. */
  find(regionId: string): Promise<Region | null>;
}
