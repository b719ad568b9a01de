import { randomUUID } from 'node:crypto';
import { UlidIdGenerator } from '../../adapters/node/ulid-id-generator.ts';
import { newOperation, type Operation } from '../../core/operations/operation.ts';
import type { OperationType } from '../../core/operations/operation-type.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import { activateSlice, newSlice, type Slice } from '../../core/slices/slice.ts';
import { newSnapshot, type Snapshot } from '../../core/snapshots/snapshot.ts';

const ids = new UlidIdGenerator();

/** A fresh account id, so that tests sharing a table never see each other's records. */
export function anAccountId(): string {
  return `acct-${randomUUID()}`;
}

/** A new id of that kind, increasing with each call. */
export function anId(kind: 'slice' | 'snapshot' | 'operation'): string {
  return ids.next(kind);
}

export const T0 = '2025-03-01T10:00:00.000Z';

/** A slice record, `active` and on unless overridden. */
export function aSlice(accountId: string, overrides: Partial<Slice> = {}): Slice {
  const built = newSlice({
    id: anId('slice'),
    accountId,
    name: 'web-1',
    region: 'fra1',
    diskBytes: 25 * BYTES_PER_GIB,
    now: T0,
  });
  return { ...activateSlice(built, { hostId: 'host-1', power: 'on' }, T0), ...overrides };
}

/** A snapshot record, `pending` unless overridden. */
export function aSnapshot(accountId: string, overrides: Partial<Snapshot> = {}): Snapshot {
  const snapshot = newSnapshot({
    id: anId('snapshot'),
    accountId,
    name: 'nightly',
    slice: {
      id: anId('slice'),
      name: 'web-1',
      region: 'fra1',
      diskBytes: 25 * BYTES_PER_GIB,
      usedBytes: 4 * BYTES_PER_GIB,
    },
    powerOff: true,
    now: T0,
  });
  return { ...snapshot, ...overrides };
}

/** An operation record, `running` unless overridden. */
export function anOperation(
  accountId: string,
  overrides: Partial<Operation> & { type?: OperationType } = {},
): Operation {
  const operation = newOperation({
    id: anId('operation'),
    accountId,
    type: overrides.type ?? 'snapshot.create',
    resourceId: anId('snapshot'),
    bytesTotal: 1000,
    now: T0,
  });
  return { ...operation, ...overrides };
}
