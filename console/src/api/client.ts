import createClient, { type Client } from 'openapi-fetch';
import type { Session } from '../auth/session.ts';
import type { components, paths } from './openapi.d.ts';
import { ApiProblem } from './problem.ts';

type Schemas = components['schemas'];
export type Region = Schemas['Region'];
export type Slice = Schemas['Slice'];
export type Snapshot = Schemas['Snapshot'];
export type Operation = Schemas['Operation'];
export type Progress = Schemas['Progress'];
export type Charges = Schemas['Charges'];
export type ChargeLine = Schemas['ChargeLine'];
export type OperationType = Operation['type'];
export type Settings = Schemas['Settings'];
export type Labels = Schemas['Labels'];
export type SnapshotPolicy = Schemas['SnapshotPolicy'];
export type PolicySchedule = Schemas['PolicySchedule'];
export type PolicyTarget = Schemas['PolicyTarget'];
export type PolicyRetain = Schemas['PolicyRetain'];
export type PolicyRun = Schemas['PolicyRun'];
export type PolicySimulation = Schemas['PolicySimulation'];
export type SimulatedSnapshot = Schemas['SimulatedSnapshot'];
export type CreateSnapshotPolicyRequest = Schemas['CreateSnapshotPolicyRequest'];
export type SnapshotQuote = Schemas['SnapshotQuote'];
export type SnapshotChanges = Schemas['SnapshotChanges'];
export type ByteRange = Schemas['ByteRange'];
export type Storage = Schemas['Storage'];
export type SliceStorage = Storage['bySlice'][number];

export type ApiClient = Client<paths>;

/** A page of a list route. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * The typed API client: every request carries the session's current ID token. `baseUrl` is the
 * API's origin (empty for the console's own origin).
 */
export function createApiClient(
  baseUrl: string,
  session: Pick<Session, 'idToken'>,
  fetcher?: typeof fetch,
): ApiClient {
  const client = createClient<paths>({
    baseUrl,
    ...(fetcher ? { fetch: fetcher } : {}),
  });
  client.use({
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await session.idToken()}`);
      return request;
    },
  });
  return client;
}

/**
 * The data of a call, or an ApiProblem: the API's problem+json when it answered with one, or
 * what stood in the way (unreachable, an answer that is not JSON).
 */
export async function answerOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch (error) {
    throw ApiProblem.unreachable(error);
  }
  if (!result.response.ok || result.error !== undefined) {
    throw ApiProblem.fromResponse(result.response, result.error);
  }
  return result.data as T;
}

/** A fresh Idempotency-Key: one per thing the user asked for, so a retry never does it twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
