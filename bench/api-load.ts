import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRateLimiter } from '../adapters/aws/dynamo-rate-limiter.ts';
import { DynamoSnapshotRepository } from '../adapters/aws/dynamo-snapshot-repository.ts';
import { HmacSigner } from '../adapters/node/hmac-signer.ts';
import { UlidIdGenerator } from '../adapters/node/ulid-id-generator.ts';
import {
  DEFAULT_ACCOUNT_RATE_LIMIT,
  ENV,
  LOCAL_TABLE_NAME,
  STAGE_THROTTLE,
} from '../blueprint/facts.ts';
import { BYTES_PER_GIB } from '../core/shared/sizes.ts';
import type { Snapshot } from '../core/snapshots/snapshot.ts';
import { localDynamoClient } from '../local/dynamodb.ts';
import { availableSnapshot } from './available-snapshot.ts';
import { withBenchCloud } from './bench-cloud.ts';
import type { BenchRow, BenchSuite } from './bench-row.ts';
import { BENCH_ACCOUNT_RATE_LIMIT } from './local-limits.ts';

const SUITE = 'api';
const ACCOUNT = 'acct-load';
const NOISY_ACCOUNT = 'acct-noisy';
const SNAPSHOTS = 1_000;
const CLIENTS = 16;
const LOAD_SECONDS = 20;
const WARM_UP_SECONDS = 3;
/** Each limiter-cost phase; off and on alternate, twice each, so drift hits both alike. */
const COST_PHASE_SECONDS = 4;
const NOISY_SECONDS = 6;
/** A loop never runs more requests than this, whatever the machine's speed. */
const MAX_REQUESTS_PER_CLIENT = 20_000;
/** list, get and create, 45 / 45 / 10: reads dominate, creates start real workflows. */
const MIX = ['list', 'get', 'list', 'get', 'list', 'get', 'list', 'get', 'create', 'get'] as const;
type RouteName = (typeof MIX)[number] | 'regions';

interface Sample {
  readonly route: RouteName;
  readonly status: number;
  readonly ms: number;
  /** A 429 from the account's limit carries Retry-After; the stage's does not. */
  readonly retryAfter: string | null;
}

interface Caller {
  readonly api: string;
  readonly token: string;
}

async function send(
  caller: Caller,
  route: RouteName,
  path: string,
  body?: unknown,
): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(`${caller.api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${caller.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.arrayBuffer();
    return {
      route,
      status: response.status,
      ms: performance.now() - started,
      retryAfter: response.headers.get('retry-after'),
    };
  } catch {
    return { route, status: 0, ms: performance.now() - started, retryAfter: null };
  }
}

/** One request of the mix: the first page of the list, one seeded snapshot, or a new slice. */
function mixed(caller: Caller, snapshotIds: readonly string[], step: number, client: number) {
  const route = MIX[step % MIX.length] ?? 'get';
  if (route === 'list') return send(caller, route, '/v1/snapshots?limit=50');
  if (route === 'get') {
    const id = snapshotIds[(step * 7919 + client * 104_729) % snapshotIds.length];
    return send(caller, route, `/v1/snapshots/${id}`);
  }
  return send(caller, route, '/v1/slices', {
    name: `load-${client}-${step}`,
    region: 'fra1',
    diskGB: 1,
  });
}

/** `clients` loops calling `next` back to back for `seconds` (bounded), every answer timed. */
async function drive(
  clients: number,
  seconds: number,
  next: (step: number, client: number) => Promise<Sample>,
): Promise<{ samples: Sample[]; seconds: number }> {
  const samples: Sample[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let step = 0; step < MAX_REQUESTS_PER_CLIENT && performance.now() < deadline; step++) {
        samples.push(await next(step, client));
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/** Steady calls, one every `intervalMs`, for `seconds`: a quiet account's traffic. */
async function paced(
  seconds: number,
  intervalMs: number,
  next: () => Promise<Sample>,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const tick = performance.now();
    samples.push(await next());
    const wait = intervalMs - (performance.now() - tick);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return samples;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

interface Stats {
  readonly count: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** 5xx answers and requests that got no answer. */
  readonly errors: number;
  /** 4xx other than 429: none is expected. */
  readonly unexpected: number;
  readonly accountLimited: number;
  readonly stageLimited: number;
}

/** Latencies of the answers that reached a handler's result (429s are counted apart). */
function statsOf(samples: readonly Sample[], seconds: number): Stats {
  const served = samples.filter((sample) => sample.status !== 429);
  const latencies = served.map((sample) => sample.ms).sort((a, b) => a - b);
  return {
    count: samples.length,
    perSecond: samples.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    mean: latencies.reduce((sum, ms) => sum + ms, 0) / Math.max(1, latencies.length),
    errors: samples.filter((sample) => sample.status === 0 || sample.status >= 500).length,
    unexpected: samples.filter(
      (sample) => sample.status >= 400 && sample.status < 500 && sample.status !== 429,
    ).length,
    accountLimited: samples.filter((sample) => sample.status === 429 && sample.retryAfter).length,
    stageLimited: samples.filter((sample) => sample.status === 429 && !sample.retryAfter).length,
  };
}

function describeStats(stats: Stats): string {
  return (
    `${stats.count} requests, ${stats.perSecond.toFixed(0)} req/s; p50 ${stats.p50.toFixed(1)} ms, ` +
    `p99 ${stats.p99.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms; errors ${stats.errors}; ` +
    `429 account ${stats.accountLimited}, stage ${stats.stageLimited}; other 4xx ${stats.unexpected}`
  );
}

/** An available snapshot record of one of 40 slices, as the create-snapshot workflow leaves it. */
function seededSnapshot(ids: UlidIdGenerator, index: number, now: string): Snapshot {
  return availableSnapshot({
    id: ids.next('snapshot'),
    accountId: ACCOUNT,
    name: `seeded-${index}`,
    slice: {
      id: ids.next('slice'),
      name: `web-${index % 40}`,
      region: index % 2 ? 'fra1' : 'nyc1',
      diskBytes: 8 * BYTES_PER_GIB,
      usedBytes: BYTES_PER_GIB,
    },
    powerOff: true,
    now,
    sizeBytes: BYTES_PER_GIB,
  });
}

/** 1,000 snapshot records written straight through the repository, 25 at a time. */
async function seed(documents: DynamoDBDocumentClient): Promise<string[]> {
  const repository = new DynamoSnapshotRepository({
    client: documents,
    tableName: LOCAL_TABLE_NAME,
    cursorSigner: new HmacSigner(randomBytes(32)),
  });
  const ids = new UlidIdGenerator();
  const now = new Date().toISOString();
  const snapshots = Array.from({ length: SNAPSHOTS }, (_, index) =>
    seededSnapshot(ids, index, now),
  );
  for (let start = 0; start < snapshots.length; start += 25) {
    await Promise.all(snapshots.slice(start, start + 25).map((item) => repository.create(item)));
  }
  return snapshots.map((snapshot) => snapshot.id);
}

/** Sets the account limit the handlers read (they rebuild their services when it changes). */
function setAccountLimit(limit: { perSecond: number; burst: number } | 'off'): void {
  process.env[ENV.accountRateLimitPerSecond] = limit === 'off' ? '0' : String(limit.perSecond);
  if (limit !== 'off') process.env[ENV.accountRateLimitBurst] = String(limit.burst);
}

/** Mean time of one `take` on DynamoDB Local, sequential: the limiter's own round trip. */
async function timeTakes(documents: DynamoDBDocumentClient, count: number): Promise<number> {
  const limiter = new DynamoRateLimiter({
    client: documents,
    tableName: LOCAL_TABLE_NAME,
    clock: { now: () => new Date() },
  });
  const limit = { perSecond: 1_000_000, burst: 1_000_000 };
  for (let i = 0; i < 20; i++) await limiter.take('bench#warm-up', limit);
  const started = performance.now();
  for (let i = 0; i < count; i++) await limiter.take(`bench#${i % 50}`, limit);
  return (performance.now() - started) / count;
}

/**
 * The API under load, through the local cloud's gateway and handlers (the same as `npm start`) on
 * DynamoDB Local: an account holding 1,000 snapshots, 16 clients back to back for 20 s over list,
 * get and create (a new slice, whose workflow runs meanwhile); then the per-account limit's cost
 * (the same reads with the limiter off and on, alternating) and its effect (one account hammering
 * at the default limit while another is served). Only 127.0.0.1 is called.
 */
export const apiLoadSuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    return withBenchCloud('api', {}, async (cloud) => {
      const documents = DynamoDBDocumentClient.from(localDynamoClient(cloud.endpoints.dynamodb), {
        marshallOptions: { removeUndefinedValues: true },
      });
      const rows: BenchRow[] = [];
      try {
        if (!cloud.endpoints.api.startsWith('http://127.0.0.1:')) {
          throw new Error(`the bench calls loopback only, not ${cloud.endpoints.api}`);
        }
        const caller = { api: cloud.endpoints.api, token: await cloud.mintToken(ACCOUNT) };
        const seedStarted = performance.now();
        const snapshotIds = await seed(documents);
        log(
          `seeded ${snapshotIds.length} snapshots in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
        );
        const next = (step: number, client: number) => mixed(caller, snapshotIds, step, client);

        await drive(CLIENTS, WARM_UP_SECONDS, next);
        log(`${CLIENTS} clients for ${LOAD_SECONDS} s over list, get and create`);
        const load = await drive(CLIENTS, LOAD_SECONDS, next);
        const overall = statsOf(load.samples, load.seconds);
        log(`all routes: ${describeStats(overall)}`);
        const ratio = overall.p99 / overall.p50;
        rows.push({
          suite: SUITE,
          name: `${CLIENTS} clients, ${SNAPSHOTS} snapshots: list, get, create (${LOAD_SECONDS} s)`,
          seconds: load.seconds,
          target: 'no 5xx; p99 ≤ 3 × p50',
          ratio,
          pass: overall.errors === 0 && ratio <= 3,
          note: describeStats(overall),
        });
        for (const route of ['list', 'get', 'create'] as const) {
          const stats = statsOf(
            load.samples.filter((sample) => sample.route === route),
            load.seconds,
          );
          log(`${route}: ${describeStats(stats)}`);
          rows.push({
            suite: SUITE,
            name: `  ${route === 'create' ? 'POST /v1/slices' : route === 'list' ? 'GET /v1/snapshots?limit=50' : 'GET /v1/snapshots/{id}'}`,
            seconds: load.seconds,
            ratio: stats.p99 / stats.p50,
            note: describeStats(stats),
          });
        }
        // The slices created above finish their workflows before the next measurement.
        await new Promise((resolve) => setTimeout(resolve, 3_000));

        log('limiter cost: list and get, limiter off and on, alternating');
        const reads = (step: number, client: number) =>
          mixed(caller, snapshotIds, step % 2 ? 1 : 0, client + step);
        const phases: Record<'off' | 'on', Sample[]> = { off: [], on: [] };
        const spent: Record<'off' | 'on', number> = { off: 0, on: 0 };
        for (const state of ['off', 'on', 'off', 'on'] as const) {
          setAccountLimit(state === 'off' ? 'off' : BENCH_ACCOUNT_RATE_LIMIT);
          await drive(CLIENTS, 1, reads);
          const phase = await drive(CLIENTS, COST_PHASE_SECONDS, reads);
          phases[state].push(...phase.samples);
          spent[state] += phase.seconds;
        }
        const off = statsOf(phases.off, spent.off);
        const on = statsOf(phases.on, spent.on);
        const takeMs = await timeTakes(documents, 500);
        log(`limiter off: ${describeStats(off)}`);
        log(`limiter on:  ${describeStats(on)}`);
        log(`one take on DynamoDB Local, sequential: ${takeMs.toFixed(2)} ms`);
        rows.push({
          suite: SUITE,
          name: 'per-account limiter cost per request (p50 on − off, 16 clients)',
          seconds: (on.p50 - off.p50) / 1000,
          ratio: on.perSecond / off.perSecond,
          note:
            `mean ${(on.mean - off.mean).toFixed(2)} ms; req/s ${off.perSecond.toFixed(0)} off → ${on.perSecond.toFixed(0)} on (ratio); ` +
            `p50 ${off.p50.toFixed(1)} → ${on.p50.toFixed(1)} ms, p99 ${off.p99.toFixed(1)} → ${on.p99.toFixed(1)} ms; ` +
            `one UpdateItem take alone: ${takeMs.toFixed(2)} ms`,
        });

        log(
          `one account hammering at the default limit (${DEFAULT_ACCOUNT_RATE_LIMIT.perSecond}/s, ` +
            `burst ${DEFAULT_ACCOUNT_RATE_LIMIT.burst}), another at 5 req/s`,
        );
        setAccountLimit(DEFAULT_ACCOUNT_RATE_LIMIT);
        const noisy = { api: caller.api, token: await cloud.mintToken(NOISY_ACCOUNT) };
        const [hammer, quiet] = await Promise.all([
          drive(8, NOISY_SECONDS, () => send(noisy, 'list', '/v1/snapshots?limit=50')),
          paced(NOISY_SECONDS, 200, () =>
            send(caller, 'get', `/v1/snapshots/${snapshotIds[0] ?? ''}`),
          ),
        ]);
        const hammered = statsOf(hammer.samples, hammer.seconds);
        const served = statsOf(quiet, NOISY_SECONDS);
        const admitted = hammer.samples.filter((sample) => sample.status === 200).length;
        const retryAfter = [...new Set(hammer.samples.flatMap((s) => s.retryAfter ?? []))].join(
          ',',
        );
        log(`noisy account: ${describeStats(hammered)}; admitted ${admitted}`);
        log(`quiet account: ${describeStats(served)}`);
        const expectedMax =
          DEFAULT_ACCOUNT_RATE_LIMIT.burst + DEFAULT_ACCOUNT_RATE_LIMIT.perSecond * hammer.seconds;
        rows.push({
          suite: SUITE,
          name: `noisy account, 8 clients, ${NOISY_SECONDS} s: admitted, 429 with Retry-After`,
          seconds: hammer.seconds,
          target: `≤ burst + rate × s (${expectedMax.toFixed(0)})`,
          ratio: admitted / expectedMax,
          pass: admitted <= expectedMax + 1 && hammered.accountLimited > 0,
          note:
            `${admitted} admitted (${(admitted / hammer.seconds).toFixed(1)}/s), ${hammered.accountLimited} refused by the account limit ` +
            `(Retry-After ${retryAfter || 'none'}), ${hammered.stageLimited} by the stage (${STAGE_THROTTLE.rateLimit}/s per route)`,
        });
        rows.push({
          suite: SUITE,
          name: '  quiet account meanwhile, 5 req/s: every request served',
          target: 'no 429',
          pass: served.accountLimited + served.stageLimited === 0 && served.errors === 0,
          note: describeStats(served),
        });
      } finally {
        documents.destroy();
      }
      return rows;
    });
  },
};
