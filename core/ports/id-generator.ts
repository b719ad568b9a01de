import type { ResourceKind } from '../shared/ids.ts';

/** Issues resource ids. */
export interface IdGenerator {
  /**
   * A new id for a resource of `kind`: its prefix (`slc_`, `snp_`, `op_`) and a ULID, increasing
   * with each call, so that id order is creation order (lists are newest first by id).
   */
  next(kind: ResourceKind): string;
}
