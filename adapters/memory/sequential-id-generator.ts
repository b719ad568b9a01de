import type { IdGenerator } from '../../core/ports/id-generator.ts';
import { ID_PREFIX, type ResourceKind } from '../../core/shared/ids.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Predictable, increasing ids in ULID shape (a counter in Crockford base32), for tests. */
export class SequentialIdGenerator implements IdGenerator {
  #counter = 0n;

  next(kind: ResourceKind): string {
    this.#counter += 1n;
    let value = this.#counter;
    let body = '';
    while (value > 0n) {
      body = CROCKFORD.charAt(Number(value % 32n)) + body;
      value /= 32n;
    }
    return `${ID_PREFIX[kind]}${body.padStart(26, '0')}`;
  }
}
