import {
  keepPreviousData,
  type QueryClient,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useApi } from './api-context.tsx';
import {
  type ApiClient,
  answerOf,
  type Charges,
  type Operation,
  type Page,
  type Region,
  type Settings,
  type Slice,
  type Snapshot,
} from './client.ts';

/** How often lists with work in progress are read again; progress is written every 2 s. */
export const BUSY_POLL_MS = 2_000;
/** How often settled lists are read again, to catch changes made elsewhere. */
export const IDLE_POLL_MS = 30_000;
/** The most slices the console reads (pages of 100): slice lists are short. */
const MAX_SLICE_PAGES = 10;

/** Query keys: one place, so that mutations invalidate exactly what they change. */
export const queryKeys = {
  regions: ['regions'] as const,
  slices: ['slices'] as const,
  snapshots: ['snapshots'] as const,
  snapshotPage: (filter: SnapshotPageRequest) => ['snapshots', 'page', filter] as const,
  snapshot: (id: string) => ['snapshots', 'one', id] as const,
  operations: ['operations'] as const,
  operationPage: (request: PageRequest) => ['operations', 'page', request] as const,
  operation: (id: string) => ['operations', 'one', id] as const,
  charges: (month: string) => ['charges', month] as const,
  settings: ['settings'] as const,
};

export interface PageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

export interface SnapshotPageRequest extends PageRequest {
  readonly region: string | null;
  readonly sliceId: string | null;
  /** The API's `labelSelector` (`env==prod,!legacy`), or null for every snapshot. */
  readonly labelSelector?: string | null;
  /** `recycled` lists the recycle bin; null lists every other snapshot. */
  readonly status?: 'recycled' | null;
}

const SNAPSHOT_IN_PROGRESS = new Set<Snapshot['status']>([
  'pending',
  'capturing',
  'uploading',
  'copying',
  'deleting',
]);

/** Whether a snapshot's status will still change by itself. */
export function isSnapshotInProgress(snapshot: Pick<Snapshot, 'status'>): boolean {
  return SNAPSHOT_IN_PROGRESS.has(snapshot.status);
}

/** Whether a slice's status will still change by itself. */
export function isSliceInProgress(slice: Pick<Slice, 'status'>): boolean {
  return slice.status === 'building' || slice.status === 'busy';
}

export function useRegions() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.regions,
    queryFn: async () => (await answerOf(api.GET('/v1/regions'))).items as Region[],
    staleTime: Number.POSITIVE_INFINITY,
  });
}

async function allSlices(api: ApiClient): Promise<Slice[]> {
  const slices: Slice[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_SLICE_PAGES; page++) {
    const answer = await answerOf(
      api.GET('/v1/slices', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    slices.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return slices;
}

/** The account's slices, newest first, read again every 2 s while one is building or busy. */
export function useSlices() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.slices,
    queryFn: () => allSlices(api),
    refetchInterval: (query) =>
      query.state.data?.some(isSliceInProgress) ? BUSY_POLL_MS : IDLE_POLL_MS,
  });
}

/**
 * One page of snapshots (the server pages and filters), read again every 2 s while one on it is
 * in progress, so that a running one turns Available without a reload. The previous page stays
 * on screen while the next loads.
 */
export function useSnapshotPage(request: SnapshotPageRequest) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.snapshotPage(request),
    queryFn: async (): Promise<Page<Snapshot>> =>
      answerOf(
        api.GET('/v1/snapshots', {
          params: {
            query: {
              limit: request.limit,
              ...(request.cursor ? { cursor: request.cursor } : {}),
              ...(request.region ? { region: request.region } : {}),
              ...(request.sliceId ? { sliceId: request.sliceId } : {}),
              ...(request.labelSelector ? { labelSelector: request.labelSelector } : {}),
              ...(request.status ? { status: request.status } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some(isSnapshotInProgress) ? BUSY_POLL_MS : IDLE_POLL_MS,
  });
}

/** One snapshot, read again every 2 s while it is in progress (being taken, copied, deleted). */
export function useSnapshot(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.snapshot(id ?? ''),
    enabled: id !== null,
    queryFn: () => answerOf(api.GET('/v1/snapshots/{id}', { params: { path: { id: id ?? '' } } })),
    refetchInterval: (query) =>
      query.state.data && isSnapshotInProgress(query.state.data) ? BUSY_POLL_MS : false,
  });
}

/** The newest snapshots that are available, for choosing one to make a slice from. */
export function useAvailableSnapshots() {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.snapshots, 'available'],
    queryFn: async () => {
      const page = await answerOf(api.GET('/v1/snapshots', { params: { query: { limit: 100 } } }));
      return page.items.filter((snapshot) => snapshot.status === 'available');
    },
  });
}

export function useOperationPage(request: PageRequest) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.operationPage(request),
    queryFn: async (): Promise<Page<Operation>> =>
      answerOf(
        api.GET('/v1/operations', {
          params: {
            query: { limit: request.limit, ...(request.cursor ? { cursor: request.cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((each) => each.status === 'running')
        ? BUSY_POLL_MS
        : IDLE_POLL_MS,
  });
}

/** The query of one operation, read every second while it runs. */
export function operationQuery(api: ApiClient, id: string) {
  return {
    queryKey: queryKeys.operation(id),
    queryFn: () => answerOf(api.GET('/v1/operations/{id}', { params: { path: { id } } })),
    refetchInterval: (query: { state: { data?: Operation } }) =>
      query.state.data?.status === 'running' || query.state.data === undefined ? 1_000 : false,
  };
}

export function useOperation(id: string) {
  const api = useApi();
  return useQuery(operationQuery(api, id));
}

export function useCharges(month: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.charges(month),
    queryFn: (): Promise<Charges> =>
      answerOf(api.GET('/v1/billing/charges', { params: { query: { month } } })),
  });
}

/** The account's settings (how many days the recycle bin keeps a deleted snapshot). */
export function useSettings() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.settings,
    queryFn: (): Promise<Settings> => answerOf(api.GET('/v1/settings')),
  });
}

/** After a change: the lists it may have touched are read again. */
export function invalidateAfterChange(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.slices }),
    queryClient.invalidateQueries({ queryKey: queryKeys.snapshots }),
    queryClient.invalidateQueries({ queryKey: queryKeys.operations }),
    queryClient.invalidateQueries({ queryKey: ['charges'] }),
  ]).then(() => undefined);
}

/** `invalidateAfterChange` bound to the app's query client. */
export function useInvalidateAfterChange(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => invalidateAfterChange(queryClient);
}
