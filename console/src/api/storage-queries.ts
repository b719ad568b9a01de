import { useQuery } from '@tanstack/react-query';
import { useApi } from './api-context.tsx';
import { answerOf, type SnapshotChanges, type SnapshotQuote, type Storage } from './client.ts';
import { IDLE_POLL_MS } from './queries.ts';

/** Changed ranges per page of the "Changes since" panel. */
export const CHANGES_PAGE_SIZE = 50;

export const storageKeys = {
  storage: ['storage'] as const,
  quote: (sliceId: string, powerOff: boolean) => ['quote', sliceId, powerOff] as const,
  changes: (id: string, base: string, cursor: string | null) =>
    ['snapshots', 'changes', id, base, cursor] as const,
};

/**
 * The account's storage as the latest count found it. A count runs in the background (after a
 * snapshot is taken or deleted for good, and daily), so the figures are read again now and then.
 */
export function useStorage() {
  const api = useApi();
  return useQuery({
    queryKey: storageKeys.storage,
    queryFn: (): Promise<Storage> => answerOf(api.GET('/v1/storage')),
    refetchInterval: IDLE_POLL_MS,
  });
}

/**
 * What a snapshot of the slice taken now would hold, cost and take, with or without powering it
 * off first. The host scans the disk for it, so it is asked once per choice and kept a minute.
 */
export function useSnapshotQuote(sliceId: string | null, powerOff: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: storageKeys.quote(sliceId ?? '', powerOff),
    enabled: sliceId !== null,
    staleTime: 60_000,
    queryFn: (): Promise<SnapshotQuote> =>
      answerOf(
        api.GET('/v1/slices/{id}/snapshot-quote', {
          params: {
            path: { id: sliceId ?? '' },
            query: { powerOff: powerOff ? 'true' : 'false' },
          },
        }),
      ),
  });
}

/**
 * One page of the byte ranges where a snapshot's disk differs from `base`'s (null: nothing asked
 * yet). The answer never changes while both exist, so it is never read again by itself.
 */
export function useSnapshotChanges(id: string, base: string | null, cursor: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: storageKeys.changes(id, base ?? '', cursor),
    enabled: base !== null,
    staleTime: Number.POSITIVE_INFINITY,
    // The previous page stays on screen while the next loads, but never another base's.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[3] === (base ?? '') ? previous : undefined,
    queryFn: (): Promise<SnapshotChanges> =>
      answerOf(
        api.GET('/v1/snapshots/{id}/changes', {
          params: {
            path: { id },
            query: {
              base: base ?? '',
              limit: CHANGES_PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
  });
}
