import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, type Snapshot } from '../../api/client.ts';
import { queryKeys, useOperation } from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { VerifyState } from '../../components/verify-state.tsx';
import { formatUtc } from '../../format/units.ts';

/** A verification reads the image back, which an available snapshot or one in the bin still has. */
export function canVerify(snapshot: Pick<Snapshot, 'status'>): boolean {
  return snapshot.status === 'available' || snapshot.status === 'recycled';
}

function VerificationProgress(props: { operationId: string; onEnded: () => void }) {
  const operation = useOperation(props.operationId);
  const status = operation.data?.status;
  const { onEnded } = props;
  useEffect(() => {
    if (status && status !== 'running') onEnded();
  }, [status, onEnded]);
  if (status && status !== 'running') return null;
  return (
    <ProgressBar
      value={operation.data?.progress.percent ?? 0}
      label="Verifying"
      ariaLabel="Verification progress"
      description="Every chunk of the image is read back and checked against its hash."
    />
  );
}

/**
 * What the latest verification found and when, and Verify: a `snapshot.verify` operation,
 * followed at the top of the page and here; the state is read again when it ends.
 */
export function SnapshotVerification(props: { snapshot: Snapshot }) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [running, setRunning] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(api.POST('/v1/snapshots/{id}/verify', { params: { path: { id: snapshot.id } } })),
    onSuccess: (answer) => {
      setRunning(answer.operation.id);
      notify({
        type: 'info',
        header: `Verifying ${snapshot.name}`,
        operation: {
          id: answer.operation.id,
          running: `Verifying snapshot ${snapshot.name}`,
          succeeded: `Verification of ${snapshot.name} finished`,
          failed: `Snapshot ${snapshot.name} could not be verified`,
        },
      });
    },
  });
  const onEnded = useCallback(() => {
    setRunning(null);
    void queryClient.invalidateQueries({ queryKey: queryKeys.snapshot(snapshot.id) });
  }, [queryClient, snapshot.id]);

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="A verification reads every chunk of the image back and checks it, so that damage is found before a restore needs the snapshot."
          actions={
            <Button
              onClick={() => mutation.mutate()}
              loading={mutation.isPending || running !== null}
              disabled={!canVerify(snapshot)}
              disabledReason="Only an available snapshot, or one in the recycle bin, has an image to verify."
            >
              Verify
            </Button>
          }
        >
          Verification
        </Header>
      }
    >
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Verification', value: <VerifyState state={snapshot.verifyState} /> },
            {
              label: 'Last verified (UTC)',
              value: snapshot.verifiedAt ? formatUtc(snapshot.verifiedAt) : 'Never',
            },
          ]}
        />
        {running ? <VerificationProgress operationId={running} onEnded={onEnded} /> : null}
        {mutation.error ? (
          <ProblemAlert error={mutation.error} header="The verification could not start" />
        ) : null}
      </SpaceBetween>
    </Container>
  );
}
