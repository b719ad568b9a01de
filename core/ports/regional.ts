/**
 * A store that each region has its own of: a region's images live in that region's store, so a
 * snapshot's manifest and chunks are read where the snapshot is.
 */
export interface Regional<Store> {
  /** The store of the region with this id; a region the deployment does not serve throws. */
  in(regionId: string): Store;
}
