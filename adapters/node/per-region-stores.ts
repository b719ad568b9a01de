import type { Regional } from '../../core/ports/regional.ts';

/** One store per configured region, each made on first use with its region's settings. */
export class PerRegionStores<Store> implements Regional<Store> {
  readonly #make: (regionId: string) => Store;
  readonly #stores = new Map<string, Store>();
  readonly #regionIds: ReadonlySet<string>;

  constructor(regionIds: Iterable<string>, make: (regionId: string) => Store) {
    this.#regionIds = new Set(regionIds);
    this.#make = make;
  }

  in(regionId: string): Store {
    // A record in a region the deployment lost is a configuration fault, never a user's mistake.
    if (!this.#regionIds.has(regionId)) {
      throw new Error(`no store is configured for region "${regionId}"`);
    }
    let store = this.#stores.get(regionId);
    if (store === undefined) {
      store = this.#make(regionId);
      this.#stores.set(regionId, store);
    }
    return store;
  }
}
