import { domainError } from './domain-error.ts';

/** The kinds of record the repositories keep. */
export type RecordKind = 'slice' | 'snapshot' | 'operation' | 'policy';

/**
 * A conditional write lost a race: the stored record no longer has the state the writer expected.
 * Never resolved by overwriting: the writer reads again and decides.
 */
export class ConcurrentModificationError extends domainError(
  'ConcurrentModificationError',
  'CONCURRENT_MODIFICATION',
) {
  readonly record: RecordKind;
  readonly id: string;

  constructor(record: RecordKind, id: string, expected: string) {
    super(`the ${record} ${id} changed meanwhile: it is no longer ${expected}`);
    this.record = record;
    this.id = id;
  }
}

/** A create found a record with the same id already stored (ids are never reused). */
export class RecordAlreadyExistsError extends domainError(
  'RecordAlreadyExistsError',
  'RECORD_ALREADY_EXISTS',
) {
  readonly record: RecordKind;
  readonly id: string;

  constructor(record: RecordKind, id: string) {
    super(`the ${record} ${id} already exists`);
    this.record = record;
    this.id = id;
  }
}

/** A list cursor that this deployment did not issue for this account and these filters. */
export class InvalidCursorError extends domainError('InvalidCursorError', 'INVALID_CURSOR') {
  constructor() {
    super('the cursor is not valid for this list: start again without one');
  }
}
