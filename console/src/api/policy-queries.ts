import { useQuery } from '@tanstack/react-query';
import { useApi } from './api-context.tsx';
import {
  type ApiClient,
  answerOf,
  type CreateSnapshotPolicyRequest,
  type PolicyRun,
  type PolicySimulation,
  type SnapshotPolicy,
} from './client.ts';
import { IDLE_POLL_MS } from './queries.ts';

/** The most policies the console reads (pages of 100): an account has a handful. */
const MAX_POLICY_PAGES = 10;
/** How often a policy's runs are read again while one is going. */
export const RUNNING_POLL_MS = 5_000;

export const policyKeys = {
  all: ['policies'] as const,
  list: ['policies', 'list'] as const,
  one: (id: string) => ['policies', 'one', id] as const,
  /** Every page size of a policy's runs: what a new run makes stale. */
  allRuns: (id: string) => ['policies', 'runs', id] as const,
  runs: (id: string, limit: number) => ['policies', 'runs', id, limit] as const,
  simulation: (id: string, days: number) => ['policies', 'simulation', id, days] as const,
};

/** The account's snapshot policies, newest first. */
export function usePolicies() {
  const api = useApi();
  return useQuery({
    queryKey: policyKeys.list,
    queryFn: async (): Promise<SnapshotPolicy[]> => {
      const policies: SnapshotPolicy[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_POLICY_PAGES; page++) {
        const answer = await answerOf(
          api.GET('/v1/snapshot-policies', {
            params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
          }),
        );
        policies.push(...answer.items);
        if (!answer.nextCursor) break;
        cursor = answer.nextCursor;
      }
      return policies;
    },
    refetchInterval: IDLE_POLL_MS,
  });
}

export function usePolicy(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: policyKeys.one(id),
    queryFn: (): Promise<SnapshotPolicy> =>
      answerOf(api.GET('/v1/snapshot-policies/{id}', { params: { path: { id } } })),
  });
}

/**
 * Whether a run of the policy is going: runs of a policy never overlap, so only the newest (the
 * first of the history) can be.
 */
export function isRunGoing(runs: readonly PolicyRun[] | undefined): boolean {
  return runs?.[0]?.status === 'running';
}

/** A policy's newest runs (`limit` of them), read again often while the newest is going. */
export function usePolicyRuns(id: string, limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: policyKeys.runs(id, limit),
    queryFn: async (): Promise<readonly PolicyRun[]> =>
      (
        await answerOf(
          api.GET('/v1/snapshot-policies/{id}/runs', {
            params: { path: { id }, query: { limit } },
          }),
        )
      ).items,
    refetchInterval: (query) => (isRunGoing(query.state.data) ? RUNNING_POLL_MS : IDLE_POLL_MS),
  });
}

/** What a saved policy would do over the next `days` days; it writes nothing. */
export function useSavedPolicySimulation(id: string, days: number, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: policyKeys.simulation(id, days),
    enabled,
    queryFn: (): Promise<PolicySimulation> =>
      answerOf(
        api.POST('/v1/snapshot-policies/{id}/simulate', {
          params: { path: { id } },
          body: { days },
        }),
      ),
  });
}

/** What an unsaved policy (the body of a create) would do over the next `days` days. */
export function simulateUnsavedPolicy(
  api: ApiClient,
  body: CreateSnapshotPolicyRequest,
  days: number,
): Promise<PolicySimulation> {
  return answerOf(api.POST('/v1/snapshot-policies/simulate', { body: { ...body, days } }));
}
