/**
 * The facts that the deployment (the CDK app, the local cloud) and the code it runs (handlers,
 * adapters, the host agent, the core) must agree on, each written once: the routes, the
 * environment variables, the workflows and how long they may run, the table's design, the layout
 * of images in the bucket, and the request limits. Everything else derives from here.
 *
 * This module imports nothing (a dependency rule holds it to that), so every layer may import it.
 */

// ---------------------------------------------------------------------------------------------
// Routes

/** An HTTP API route: what API Gateway deploys and the handler answers. */
export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** API Gateway route path, e.g. `/v1/slices/{id}`. */
  readonly path: string;
  /** `jwt`: behind the JWT authorizer; `none`: public or authenticated by the handler itself. */
  readonly auth: 'jwt' | 'none';
}

/** A route behind the JWT authorizer: every public route but the OpenAPI document. */
function jwt<const M extends HttpRoute['method'], const P extends string>(method: M, path: P) {
  return { method, path, auth: 'jwt' } as const;
}

/** The routes of the public API, by operationId: each is deployed and documented in openapi.json. */
export const PUBLIC_ROUTES = {
  listRegions: jwt('GET', '/v1/regions'),
  createSlice: jwt('POST', '/v1/slices'),
  listSlices: jwt('GET', '/v1/slices'),
  getSlice: jwt('GET', '/v1/slices/{id}'),
  updateSlice: jwt('PATCH', '/v1/slices/{id}'),
  changeSlicePower: jwt('POST', '/v1/slices/{id}/power'),
  deleteSlice: jwt('DELETE', '/v1/slices/{id}'),
  createSnapshot: jwt('POST', '/v1/slices/{id}/snapshots'),
  quoteSnapshot: jwt('GET', '/v1/slices/{id}/snapshot-quote'),
  listSnapshots: jwt('GET', '/v1/snapshots'),
  getSnapshot: jwt('GET', '/v1/snapshots/{id}'),
  updateSnapshot: jwt('PATCH', '/v1/snapshots/{id}'),
  deleteSnapshot: jwt('DELETE', '/v1/snapshots/{id}'),
  recoverSnapshot: jwt('POST', '/v1/snapshots/{id}/recover'),
  restoreSnapshot: jwt('POST', '/v1/snapshots/{id}/restore'),
  getSnapshotChanges: jwt('GET', '/v1/snapshots/{id}/changes'),
  verifySnapshot: jwt('POST', '/v1/snapshots/{id}/verify'),
  copySnapshot: jwt('POST', '/v1/snapshots/{id}/copy'),
  listOperations: jwt('GET', '/v1/operations'),
  getOperation: jwt('GET', '/v1/operations/{id}'),
  undoOperation: jwt('POST', '/v1/operations/{id}/undo'),
  getCharges: jwt('GET', '/v1/billing/charges'),
  getSettings: jwt('GET', '/v1/settings'),
  getStorage: jwt('GET', '/v1/storage'),
  updateSettings: jwt('PATCH', '/v1/settings'),
  createSnapshotPolicy: jwt('POST', '/v1/snapshot-policies'),
  listSnapshotPolicies: jwt('GET', '/v1/snapshot-policies'),
  getSnapshotPolicy: jwt('GET', '/v1/snapshot-policies/{id}'),
  updateSnapshotPolicy: jwt('PATCH', '/v1/snapshot-policies/{id}'),
  deleteSnapshotPolicy: jwt('DELETE', '/v1/snapshot-policies/{id}'),
  simulateSnapshotPolicy: jwt('POST', '/v1/snapshot-policies/{id}/simulate'),
  listPolicyRuns: jwt('GET', '/v1/snapshot-policies/{id}/runs'),
  runSnapshotPolicy: jwt('POST', '/v1/snapshot-policies/{id}/run'),
  simulateUnsavedSnapshotPolicy: jwt('POST', '/v1/snapshot-policies/simulate'),
  getOpenApi: { method: 'GET', path: '/openapi.json', auth: 'none' },
} as const satisfies Record<string, HttpRoute>;

/**
 * The routes host agents call, by operationId: deployed beside the public API, authenticated by
 * the handler (each request signed with the host's secret), and left out of openapi.json.
 */
export const AGENT_ROUTES = {
  reportAgentCallback: { method: 'POST', path: '/agent/v1/callbacks', auth: 'none' },
} as const satisfies Record<string, HttpRoute>;

/** The operationId of a deployed route. */
export type RouteName = keyof typeof PUBLIC_ROUTES | keyof typeof AGENT_ROUTES;

/** Every deployed route, by operationId. */
export const ROUTES: Readonly<Record<RouteName, HttpRoute>> = { ...PUBLIC_ROUTES, ...AGENT_ROUTES };

// ---------------------------------------------------------------------------------------------
// Environment

/** Environment variable names every handler reads its wiring from (same in AWS and locally). */
export const ENV = {
  tableName: 'TABLE_NAME',
  /**
   * JSON object: region id → that region's images bucket. Each region's snapshots, and its agents'
   * uploads, are in its own bucket; a copy to another region writes to the other's.
   */
  imagesBuckets: 'IMAGES_BUCKETS',
  /** JSON object: workflow name → state machine ARN. */
  stateMachineArns: 'STATE_MACHINE_ARNS',
  /** JSON array of `{ id, name }`: the regions this deployment serves. */
  regions: 'REGIONS',
  /** Secrets Manager secret id of the host registry (agents' URLs, regions and signing secrets). */
  hostRegistrySecret: 'HOST_REGISTRY_SECRET',
  /** Secrets Manager secret id of the key that signs list cursors (tamper-proof pagination). */
  cursorKeySecret: 'CURSOR_KEY_SECRET',
  /**
   * Requests per second each account may make, sustained, over all authenticated routes together
   * (default in `DEFAULT_ACCOUNT_RATE_LIMIT`); `0` turns the per-account limit off.
   */
  accountRateLimitPerSecond: 'ACCOUNT_RATE_LIMIT_PER_SECOND',
  /** The most requests an account may make at once after a quiet spell. */
  accountRateLimitBurst: 'ACCOUNT_RATE_LIMIT_BURST',
  /** The EventBridge Scheduler schedule group that holds one schedule per snapshot policy. */
  policyScheduleGroup: 'POLICY_SCHEDULE_GROUP',
  /** The role EventBridge Scheduler assumes to start the run-policy workflow. */
  policySchedulerRoleArn: 'POLICY_SCHEDULER_ROLE_ARN',
  /** The queue that keeps the policies' scheduled runs EventBridge Scheduler could not start. */
  policyScheduleDeadLetterArn: 'POLICY_SCHEDULE_DEAD_LETTER_ARN',
} as const;

/** The local and test schedule group of the policies' schedules; in AWS, CDK prefixes it. */
export const LOCAL_POLICY_SCHEDULE_GROUP = 'slice-snapshots-policies';

/** Regions served when none are configured: the local default. */
export const DEFAULT_REGIONS = [
  { id: 'fra1', name: 'Frankfurt 1' },
  { id: 'nyc1', name: 'New York 1' },
] as const;

// ---------------------------------------------------------------------------------------------
// Workflows

/**
 * How long a snapshot's reader lasts. A restore or a new slice registers its operation as a reader
 * of the snapshot it writes from, and the snapshot cannot be deleted while a reader lasts. The
 * workflows that read (restore-slice, create-slice) may run exactly this long, no longer: a reader
 * never expires while its workflow still reads, and a workflow that died never keeps its snapshot.
 */
export const SNAPSHOT_READER_EXPIRY_SECONDS = 28_800;

/**
 * The longest an upload lasts: create-snapshot may run exactly this long, and the workflows that
 * upload a slice's disk on the way of another operation no longer. The chunk collection's grace
 * period counts on it: an upload that found a chunk stored before the chunk was condemned has
 * written its manifest, which names the chunk, before a sweep may delete it.
 */
export const UPLOAD_EXPIRY_SECONDS = 28_800;

/**
 * The workflows, by name (each is `state-machines/<name>.asl.json` and one state machine), with the
 * most an execution may run: its ASL file's `TimeoutSeconds`, which the CDK app and the local
 * cloud check against this.
 */
export const WORKFLOW_TIMEOUT_SECONDS = {
  // Writing a large image from a snapshot is the longest step; the rest takes seconds.
  'create-slice': SNAPSHOT_READER_EXPIRY_SECONDS,
  // Uploading a large image is the longest step; the rest takes seconds to minutes.
  'create-snapshot': UPLOAD_EXPIRY_SECONDS,
  // Writing a large image, or uploading the disk it replaces, is the longest step; the reader it
  // registers lasts exactly as long, and so may an upload (both 8 hours).
  'restore-slice': SNAPSHOT_READER_EXPIRY_SECONDS,
  'change-slice-power': 3_600,
  // A final snapshot's upload is the longest step: as long as any upload may last.
  'delete-slice': UPLOAD_EXPIRY_SECONDS,
  // Deleting a manifest and marking the record take seconds; the chunks are the collection's.
  'delete-snapshot': 3_600,
  // A copy writes chunks into another region's store, an upload as far as the chunk collection
  // knows: it lasts no longer than any upload. It reads its source as long, as a registered reader.
  'copy-snapshot': Math.min(UPLOAD_EXPIRY_SECONDS, SNAPSHOT_READER_EXPIRY_SECONDS),
  // Every chunk read back in pages of a few hundred MiB per step: an hour reads about a TiB.
  'verify-snapshot': 14_400,
  // 16 partitions, 4 at a time, each up to 15 min a try and 4 tries: about 4 h at the very worst.
  // A day's run is done long before the next day's starts.
  'billing-run': 21_600,
  // A policy's run waits for every snapshot it takes to be uploaded: as long as any upload may
  // last. The run holds its policy exactly this long, so a run that died never keeps the next out
  // for longer.
  'run-policy': UPLOAD_EXPIRY_SECONDS,
  // A mark pass reads a page of 100 manifests per step, a few seconds each: an hour is some
  // thousands of pages, far beyond any account.
  'storage-mark': 3_600,
} as const;

/** The name of a deployed workflow. */
export type WorkflowName = keyof typeof WORKFLOW_TIMEOUT_SECONDS;

// ---------------------------------------------------------------------------------------------
// The table

/**
 * The single table's key design: the CDK data stack, the local cloud's table and the DynamoDB
 * adapters all read it.
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

/**
 * Partition-key prefix of the agent callback nonces (`AGENT-NONCE#<host>#<nonce>`). The callback
 * function may write items under it and nowhere else in the table.
 */
export const NONCE_PARTITION_PREFIX = 'AGENT-NONCE#';

/**
 * Partition-key prefix of agent command contexts (`AGENT-COMMAND#<hash of the task token>`). The
 * dispatch function may write items under it and nowhere else in the table.
 */
export const COMMAND_CONTEXT_PARTITION_PREFIX = 'AGENT-COMMAND#';

/**
 * Partition-key prefix of request token buckets (`RATE-LIMIT#<bucket key>`). Every API function may
 * update items under it, and only those beyond its own access.
 */
export const RATE_LIMIT_PARTITION_PREFIX = 'RATE-LIMIT#';

/**
 * Partition-key prefix of outbox items (`OUTBOX#<eventId>`). Each is an event written in the
 * transaction of the state change it tells of, and relayed to the bus from the table's stream
 * (EventBridge Pipes in AWS, the stream relay locally).
 */
export const OUTBOX_PARTITION_PREFIX = 'OUTBOX#';

/** The local and test table name; in AWS, CDK names the table. */
export const LOCAL_TABLE_NAME = 'slice-snapshots';

/** The local and test images bucket of agent tests that run without the local cloud. */
export const LOCAL_IMAGES_BUCKET = 'slice-snapshots-images';

/** The local cloud's images bucket of a region; in AWS, CDK names the buckets. */
export function localImagesBucketOf(regionId: string): string {
  return `${LOCAL_IMAGES_BUCKET}-${regionId}`;
}

// ---------------------------------------------------------------------------------------------
// Images in the bucket

/** The file name of a snapshot's manifest, under the snapshot's own prefix. */
const MANIFEST_FILE = 'manifest.json';

/** Where an account's manifests are: one folder per snapshot. */
export function snapshotsPrefixOf(accountId: string): string {
  return `${accountId}/snapshots/`;
}

/** Where an account's chunks are, each named by its hash (never shared across accounts). */
export function chunksPrefixOf(accountId: string): string {
  return `${accountId}/chunks/`;
}

/**
 * Where an account's mark passes keep their tallies between pages: beside its manifests and
 * chunks, never under either prefix, so nothing that reads those ever sees a tally.
 */
export function markTalliesPrefixOf(accountId: string): string {
  return `${accountId}/marks/`;
}

/** The key of a mark pass's tally in the images bucket. */
export function markTallyKeyOf(accountId: string, markId: string): string {
  return `${markTalliesPrefixOf(accountId)}${markId}.json`;
}

/**
 * Where an account's chunk collection keeps what uploads must see of it: the list of condemned
 * chunks and the notices of its sweeps. Beside the manifests and chunks, under neither prefix.
 */
export function collectionPrefixOf(accountId: string): string {
  return `${accountId}/collection/`;
}

/** The account's condemned chunks: named by no live manifest when a pass last looked. */
export function condemnedChunksKeyOf(accountId: string): string {
  return `${collectionPrefixOf(accountId)}condemned.json`;
}

/** Where the account's sweep notices are, one per pass that may delete chunks. */
export function sweepNoticesPrefixOf(accountId: string): string {
  return `${collectionPrefixOf(accountId)}sweeps/`;
}

/** The notice of one pass's sweep: the chunks it may delete, and whether it has ended. */
export function sweepNoticeKeyOf(accountId: string, markId: string): string {
  return `${sweepNoticesPrefixOf(accountId)}${markId}.json`;
}

/** The condemned list a sweep in progress builds, page by page, before it replaces the account's. */
export function sweepProgressKeyOf(accountId: string, markId: string): string {
  return `${collectionPrefixOf(accountId)}progress/${markId}.json`;
}

/**
 * The most one step of a sweep runs. A sweep deletes nothing later than this before its pass must
 * end, so no deletion of a pass outlives the pass, whatever becomes of its steps.
 */
export const SWEEP_STEP_TIMEOUT_SECONDS = 270;

/**
 * How long a chunk stays condemned before a sweep may delete it. An upload that found it stored
 * before it was condemned has written its manifest by then (an upload lasts at most
 * UPLOAD_EXPIRY_SECONDS), and the list it was condemned in is published within a pass (at most
 * the storage-mark timeout) of the time it carries.
 */
export const CHUNK_GRACE_SECONDS = UPLOAD_EXPIRY_SECONDS + WORKFLOW_TIMEOUT_SECONDS['storage-mark'];

/** The key of a snapshot's manifest in the images bucket. */
export function manifestKeyOf(accountId: string, snapshotId: string): string {
  return `${snapshotsPrefixOf(accountId)}${snapshotId}/${MANIFEST_FILE}`;
}

/**
 * The user metadata of a chunk object that says how its bytes are stored: `raw`, or `zstd`
 * (compressed; the hash is of the raw bytes). Agents write it; restores and verifications read it.
 */
export const CHUNK_ENCODING_METADATA = 'chunk-encoding';

/** The key of a stored chunk in the images bucket. */
export function chunkKeyOf(accountId: string, hash: string): string {
  return `${chunksPrefixOf(accountId)}${hash}`;
}

/** The snapshot whose manifest `key` is, or null when it is no manifest of the account. */
export function snapshotIdOfManifestKey(accountId: string, key: string): string | null {
  const prefix = snapshotsPrefixOf(accountId);
  const suffix = `/${MANIFEST_FILE}`;
  if (!key.startsWith(prefix) || !key.endsWith(suffix)) return null;
  const snapshotId = key.slice(prefix.length, -suffix.length);
  return snapshotId.length > 0 && !snapshotId.includes('/') ? snapshotId : null;
}

// ---------------------------------------------------------------------------------------------
// Request limits

/**
 * The HTTP API stage's default route throttling, which the local gateway applies too. HTTP APIs
 * apply it to each route on its own (requests per second sustained, and the bucket's burst),
 * across all callers: it protects the backend, not one account from another. The account-level
 * quota stays far above it.
 */
export const STAGE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * Each account's own limit, shared by every authenticated route: 20 requests per second sustained,
 * bursts of 40. The deployment may change it (`ENV.accountRateLimitPerSecond`,
 * `ENV.accountRateLimitBurst`).
 */
export const DEFAULT_ACCOUNT_RATE_LIMIT = { perSecond: 20, burst: 40 } as const;

// ---------------------------------------------------------------------------------------------
// The web console

/**
 * What the console reads at run time from its `/config.json`: where the API is and how users sign
 * in. `npm start` answers it for the local identity provider; in AWS the CDK app writes it with
 * the user pool's hosted UI.
 */
export interface ConsoleConfig {
  /** The API's origin, without `/v1`; empty when the API is on the console's own origin. */
  readonly apiUrl: string;
  readonly auth: LocalConsoleAuth | CognitoConsoleAuth;
}

/** The local identity provider of `npm start`: pick an account, get a token for it. */
export interface LocalConsoleAuth {
  readonly kind: 'local';
  /** POST `{ account }` here to get `{ idToken }`. */
  readonly signInUrl: string;
  /** The account `npm start` printed a token for, offered first. */
  readonly defaultAccount: string;
}

/** The Cognito user pool's hosted UI: authorization code with PKCE, tokens kept in memory. */
export interface CognitoConsoleAuth {
  readonly kind: 'cognito';
  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domain: string;
  /** The token issuer, `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  readonly issuer: string;
  readonly clientId: string;
}

/** Where the hosted UI sends the browser back with the authorization code. */
export const CONSOLE_SIGN_IN_CALLBACK_PATH = '/auth/callback';

/**
 * The console's strict Content-Security-Policy, the same from CloudFront and from `npm start`:
 * scripts, styles, fonts and images from its own origin only (no inline script, no eval),
 * requests only to `connectSources` besides it, no plugins, no framing, no `<base>` rewriting,
 * forms posting nowhere.
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** What the console's pages may use of the browser: none of the powerful features. */
export const CONSOLE_PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';
