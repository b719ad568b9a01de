import type { Ports } from '../ports/ports.ts';
import { isResourceId, type ResourceKind } from '../shared/ids.ts';

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
