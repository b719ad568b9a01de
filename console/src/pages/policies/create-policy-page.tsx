import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, type CreateSnapshotPolicyRequest } from '../../api/client.ts';
import { policyKeys } from '../../api/policy-queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { navigate } from '../../app/router.ts';
import { PolicyEditor } from './policy-editor.tsx';
import { emptyPolicyForm } from './policy-form.ts';

/** Create a snapshot policy: the form, a preview of what it would do, then its page. */
export default function CreatePolicyPage() {
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (body: CreateSnapshotPolicyRequest) =>
      answerOf(api.POST('/v1/snapshot-policies', { body })),
    onSuccess: (policy) => {
      notify({ type: 'success', header: `Policy ${policy.name} is created` });
      void queryClient.invalidateQueries({ queryKey: policyKeys.all });
      navigate(`/policies/${policy.id}`);
    },
  });
  return (
    <PolicyEditor
      title="Create policy"
      initial={emptyPolicyForm()}
      submitText="Create policy"
      cancelHref="/policies"
      submitting={mutation.isPending}
      error={mutation.error}
      onSubmit={(body) => mutation.mutate(body)}
    />
  );
}
