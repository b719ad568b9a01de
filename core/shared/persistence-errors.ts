import { DomainError } from './domain-error.ts';

/** The kinds of record the repositories keep. */
export type RecordKind = 'slice' | 'snapshot' | 'operation';

/**
 * A conditional write lost a race: the stored record no longer has the state the writer expected.
 * Never resolved by overwriting: the writer reads again and decides.
 */
export class ConcurrentModificationError extends DomainError {
  override readonly name = 'ConcurrentModificationError';
  readonly code = 'STATE.CONCURRENT_MODIFICATION';
  readonly kind = 'conflict' as const;
  readonly record: RecordKind;
  readonly id: string;

  constructor(record: RecordKind, id: string, expected: string) {
    super(`the ${record} ${id} changed meanwhile: it is no longer ${expected}`);
    this.record = record;
    this.id = id;
  }
}

/** A create found a record with the same id already stored (ids are never reused). */
export class RecordAlreadyExistsError extends DomainError {
  override readonly name = 'RecordAlreadyExistsError';
  readonly code = 'STATE.ALREADY_EXISTS';
  readonly kind = 'conflict' as const;
  readonly record: RecordKind;
  readonly id: string;

  constructor(record: RecordKind, id: string) {
    super(`the ${record} ${id} already exists`);
    this.record = record;
    this.id = id;
  }
}

/** A list cursor that this deployment did not issue for this account and these filters. */
export class InvalidCursorError extends DomainError {
  override readonly name = 'InvalidCursorError';
  readonly code = 'REQUEST.INVALID_CURSOR';
  readonly kind = 'invalid' as const;

  constructor() {
    super('the cursor is not valid for this list: start again without one');
  }
}
