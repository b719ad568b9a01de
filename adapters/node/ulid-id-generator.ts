import { monotonicFactory, type ULIDFactory } from 'ulid';
import type { Clock } from '../../core/ports/clock.ts';
import type { IdGenerator } from '../../core/ports/id-generator.ts';
import { ID_PREFIX, type ResourceKind } from '../../core/shared/ids.ts';

/**
 * Prefixed ULIDs, monotonic within a process (two ids in the same millisecond still increase), with
 * the time part taken from the Clock so ids sort with the records' times.
 */
export class UlidIdGenerator implements IdGenerator {
  readonly #ulid: ULIDFactory = monotonicFactory();
  readonly #clock: Clock | undefined;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock;
  }

  next(kind: ResourceKind): string {
    return `${ID_PREFIX[kind]}${this.#ulid(this.#clock?.now().getTime())}`;
  }
}
