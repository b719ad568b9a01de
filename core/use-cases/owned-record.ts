import type { Ports } from '../ports/ports.ts';
import { isResourceId, type ResourceKind } from '../shared/ids.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';

/** A repository that reads one record of an account by id. */
interface AccountScopedReader<T> {
  get(accountId: string, id: string): Promise<T | null>;
}

/** The ports that read records of one account by id. */
type ReaderPort = {
  [P in keyof Ports]: Ports[P] extends AccountScopedReader<unknown> ? P : never;
}[keyof Ports];

type RecordOf<P extends ReaderPort> = Ports[P] extends AccountScopedReader<infer T> ? T : never;

/**
 * The use case that reads one record of the caller's account: `input.<kind>Id` read from the
 * `port` repository, and `notFound` thrown when it is missing, of another account (which looks
 * the same: repositories are keyed by account), or the id is not of that kind at all.
 */
export function ownedRecordGetter<K extends ResourceKind, P extends ReaderPort>(
  kind: K,
  port: P,
  notFound: new (id: string) => Error,
) {
  return async (
    deps: Pick<Ports, P>,
    input: { readonly accountId: string } & { readonly [F in `${K}Id`]: string },
  ): Promise<RecordOf<P>> => {
    const id = (input as Record<`${K}Id`, string>)[`${kind}Id`];
    const reader = deps[port] as unknown as AccountScopedReader<RecordOf<P>>;
    const record = isResourceId(kind, id) ? await reader.get(input.accountId, id) : null;
    if (!record) throw new notFound(id);
    return record;
  };
}

/**
 * The read-decide-write of one record of the caller's account, read by `get`: `decide` runs on
 * the record as stored now, and again on a fresh read when its conditional write lost a race (see
 * `retryOnConflict`), so that no decision is ever written on stale state.
 */
export function ownedRecordChanger<D, I, T>(get: (deps: D, input: I) => Promise<T>) {
  return <R>(deps: D, input: I, decide: (current: T) => Promise<R>): Promise<R> =>
    retryOnConflict(async () => decide(await get(deps, input)));
}
