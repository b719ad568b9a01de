/**
 * The single table's key design, shared by the CDK data stack, the local cloud's table creation and
 * the DynamoDB adapters, so the three never drift apart.
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB's TTL deletes the item after it (idempotency records, stale locks). */
  ttlAttribute: 'expiration',
  indexes: [
    /** Account-wide listings, newest first: `gsi1pk` = `<account>#<kind>`, `gsi1sk` = ULID id. */
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Cross-account work queues (billing by month, hosts by region): `gsi2pk`, `gsi2sk`. */
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

/** The local and test table name; in AWS, CDK names the table. */
export const LOCAL_TABLE_NAME = 'slice-snapshots';
/** The local and test images bucket; in AWS, CDK names the bucket. */
export const LOCAL_IMAGES_BUCKET = 'slice-snapshots-images';

/**
 * Partition-key prefix of the agent callback nonces (`AGENT-NONCE#<host>#<nonce>`): the callback
 * function may write items under it and nowhere else in the table.
 */
export const NONCE_PARTITION_PREFIX = 'AGENT-NONCE#';

/**
 * Partition-key prefix of agent command contexts (`AGENT-COMMAND#<hash of the task token>`): the
 * dispatch function may write items under it and nowhere else in the table.
 */
export const COMMAND_CONTEXT_PARTITION_PREFIX = 'AGENT-COMMAND#';

/**
 * Partition-key prefix of request token buckets (`RATE-LIMIT#<bucket key>`): every API function
 * may update items under it, and only those beyond its own access.
 */
export const RATE_LIMIT_PARTITION_PREFIX = 'RATE-LIMIT#';

/**
 * Partition-key prefix of outbox items (`OUTBOX#<eventId>`): an event written in the transaction of
 * the state change it tells of, relayed to the bus from the table's stream (EventBridge Pipes in
 * AWS, the stream relay locally).
 */
export const OUTBOX_PARTITION_PREFIX = 'OUTBOX#';
