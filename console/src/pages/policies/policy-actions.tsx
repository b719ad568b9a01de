import Box from '@cloudscape-design/components/box';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, type PolicyRun, type SnapshotPolicy } from '../../api/client.ts';
import { policyKeys } from '../../api/policy-queries.ts';
import { explainProblem } from '../../api/problem-words.ts';
import { useNotify } from '../../app/notifications.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { formatUtc } from '../../format/units.ts';

/** Reads the policies again after a change: the list, the policy, its simulation. */
function useInvalidatePolicies() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: policyKeys.all });
}

/** Enables or disables a policy in place (PATCH), and says so. */
export function useSetPolicyEnabled() {
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidatePolicies();
  return useMutation({
    mutationFn: (change: { policy: SnapshotPolicy; enabled: boolean }) =>
      answerOf(
        api.PATCH('/v1/snapshot-policies/{id}', {
          params: { path: { id: change.policy.id } },
          body: { enabled: change.enabled },
        }),
      ),
    onSuccess: (policy) => {
      notify({
        type: 'success',
        header: policy.enabled
          ? `Policy ${policy.name} is enabled`
          : `Policy ${policy.name} is disabled: it makes no run until enabled again`,
      });
      void invalidate();
    },
    onError: (_error, change) => {
      notify({
        type: 'error',
        header: `Policy ${change.policy.name} could not be ${change.enabled ? 'enabled' : 'disabled'}`,
      });
    },
  });
}

/**
 * Runs a policy now (POST …/run), as its schedule would, and says so; its run history is read
 * again at once, and then often while the run goes. A run still going answers 409, told in
 * words. `linkToRuns` adds a link to the policy's page, where its runs are, for pages elsewhere.
 */
export function useRunPolicy(options: { linkToRuns: boolean }) {
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policy: SnapshotPolicy): Promise<PolicyRun> =>
      answerOf(api.POST('/v1/snapshot-policies/{id}/run', { params: { path: { id: policy.id } } })),
    onSuccess: (run, policy) => {
      notify({
        type: 'success',
        header: `Policy ${policy.name} is running`,
        content: (
          <>
            The run began at {formatUtc(run.startedAt)}; it snapshots the policy's slices, then
            prunes by its rules.{' '}
            {options.linkToRuns ? (
              <RouterLink href={`/policies/${policy.id}`}>Follow its run</RouterLink>
            ) : null}
          </>
        ),
      });
      void queryClient.invalidateQueries({ queryKey: policyKeys.allRuns(policy.id) });
    },
    onError: (error, policy) => {
      const why = explainProblem(error);
      notify({
        type: 'error',
        header: `Policy ${policy.name} could not run now`,
        content: `${why.summary} ${why.action}`,
      });
      // A 409 means a run is going that this page has not seen yet: show it.
      void queryClient.invalidateQueries({ queryKey: policyKeys.allRuns(policy.id) });
    },
  });
}

/** Delete a policy: its runs stop, and the snapshots it took stay. */
export function DeletePolicyModal(props: {
  policy: SnapshotPolicy;
  onDismiss: () => void;
  onDeleted?: () => void;
}) {
  const { policy } = props;
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(api.DELETE('/v1/snapshot-policies/{id}', { params: { path: { id: policy.id } } })),
    onSuccess: () => {
      notify({ type: 'success', header: `Policy ${policy.name} is deleted; its snapshots stay` });
      // The policy leaves the list at once, and nothing asks for it, its runs or its simulation
      // again: each would answer 404.
      queryClient.setQueryData<SnapshotPolicy[]>(policyKeys.list, (policies) =>
        policies?.filter((each) => each.id !== policy.id),
      );
      for (const key of ['one', 'runs', 'simulation']) {
        queryClient.removeQueries({ queryKey: [...policyKeys.all, key, policy.id] });
      }
      void queryClient.invalidateQueries({ queryKey: policyKeys.list });
      props.onDismiss();
      props.onDeleted?.();
    },
  });
  return (
    <ConfirmModal
      header={`Delete policy ${policy.name}?`}
      confirmText="Delete"
      onConfirm={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <Box variant="p">
        The policy makes no more runs. The snapshots it took stay, as they are, and are no longer
        pruned by it: delete them from Snapshots when they are no longer needed.
      </Box>
    </ConfirmModal>
  );
}
