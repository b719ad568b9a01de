import { TABLE_DESIGN } from '../../blueprint/facts.ts';
import type { RecordKind } from '../../core/shared/persistence-errors.ts';

/** A record's primary key in the single table. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

const SORT_KEY_PREFIX: Record<RecordKind, string> = {
  slice: 'SLICE#',
  snapshot: 'SNAPSHOT#',
  operation: 'OPERATION#',
  policy: 'POLICY#',
};

/** The partition of one account: every record of the account lives under it, nothing else does. */
export function accountPartition(accountId: string): string {
  return `ACCOUNT#${accountId}`;
}

/** Sort-key prefix of a kind of record: ids are ULIDs, so the sort key order is creation order. */
export function sortKeyPrefix(kind: RecordKind): string {
  return SORT_KEY_PREFIX[kind];
}

/** Primary key of one record of an account. */
export function recordKey(kind: RecordKind, accountId: string, id: string): TableKey {
  return { pk: accountPartition(accountId), sk: `${SORT_KEY_PREFIX[kind]}${id}` };
}

/** The id of the record a table key (a query's LastEvaluatedKey too) points at. */
export function idOfKey(kind: RecordKind, key: Readonly<Record<string, unknown>>): string {
  return String(key.sk).slice(SORT_KEY_PREFIX[kind].length);
}

/** gsi1 partition of a slice's snapshots (sort key: the snapshot id), newest first by id. */
export function sliceSnapshotsPartition(accountId: string, sliceId: string): string {
  return `${accountPartition(accountId)}#SLICE#${sliceId}#SNAPSHOTS`;
}

/** Attributes of the table design (keys, index keys, TTL) that are not part of any record. */
export const TABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  TABLE_DESIGN.partitionKey,
  TABLE_DESIGN.sortKey,
  TABLE_DESIGN.ttlAttribute,
  ...TABLE_DESIGN.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  'recordKind',
]);
