import { TABLE_ATTRIBUTES } from './dynamo-keys.ts';
import type { Item } from './dynamo-record-table.ts';

/** The record's own attributes of an item: keys, index keys, TTL and the type tag stripped. */
export function recordAttributes(item: Item): Item {
  const record: Item = {};
  for (const [attribute, value] of Object.entries(item)) {
    if (!TABLE_ATTRIBUTES.has(attribute)) record[attribute] = value;
  }
  return record;
}
