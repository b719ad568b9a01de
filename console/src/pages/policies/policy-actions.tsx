import Box from '@cloudscape-design/components/box';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, type SnapshotPolicy } from '../../api/client.ts';
import { policyKeys } from '../../api/policy-queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';

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
