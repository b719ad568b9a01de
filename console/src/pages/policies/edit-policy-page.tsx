import Spinner from '@cloudscape-design/components/spinner';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, type CreateSnapshotPolicyRequest } from '../../api/client.ts';
import { policyKeys, usePolicy } from '../../api/policy-queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { navigate } from '../../app/router.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { policyFormOf } from './policy-form.ts';

/** Edit a snapshot policy in place: same id, its snapshots still its own. */
export default function EditPolicyPage(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const policy = usePolicy(id);
  const mutation = useMutation({
    mutationFn: (body: CreateSnapshotPolicyRequest) =>
      answerOf(api.PATCH('/v1/snapshot-policies/{id}', { params: { path: { id } }, body })),
    onSuccess: (saved) => {
      notify({ type: 'success', header: `Policy ${saved.name} is saved` });
      queryClient.setQueryData(policyKeys.one(id), saved);
      void queryClient.invalidateQueries({ queryKey: policyKeys.all });
      navigate(`/policies/${id}`);
    },
  });
  if (policy.error) {
    return <ProblemAlert error={policy.error} header="The policy could not be loaded" />;
  }
  if (!policy.data) return <Spinner size="large" />;
  return (
    <PolicyEditor
      title={`Edit ${policy.data.name}`}
      initial={policyFormOf(policy.data)}
      submitText="Save changes"
      cancelHref={`/policies/${id}`}
      submitting={mutation.isPending}
      error={mutation.error}
      onSubmit={(body) => mutation.mutate(body)}
    />
  );
}
