import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { useState } from 'react';
import type { SnapshotPolicy } from '../../api/client.ts';
import { isRunGoing, usePolicy, usePolicyRuns } from '../../api/policy-queries.ts';
import { useSlices } from '../../api/queries.ts';
import { navigate } from '../../app/router.ts';
import { LabelList } from '../../components/labels.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatUtc } from '../../format/units.ts';
import { DeletePolicyModal, useRunPolicy, useSetPolicyEnabled } from './policy-actions.tsx';
import { PolicyRuns, RUNS_SHOWN } from './policy-runs.tsx';
import { SavedPolicySimulation } from './policy-simulation.tsx';
import { EnabledStatus } from './policy-status.tsx';
import { RUN_GOING_REASON, retainText, scheduleText, targetText } from './policy-words.ts';

function Details(props: { policy: SnapshotPolicy; sliceNames: ReadonlyMap<string, string> }) {
  const { policy } = props;
  return (
    <Container header={<Header variant="h2">Details</Header>}>
      <KeyValuePairs
        columns={3}
        items={[
          { label: 'Status', value: <EnabledStatus enabled={policy.enabled} /> },
          { label: 'Schedule', value: scheduleText(policy.schedule) },
          {
            label: 'Next run',
            value: policy.nextRunAt ? formatUtc(policy.nextRunAt) : 'None while disabled',
          },
          { label: 'Target', value: targetText(policy.target, props.sliceNames) },
          { label: 'Keep', value: retainText(policy.retain) },
          { label: 'Power off for each snapshot', value: policy.powerOff ? 'Yes' : 'No' },
          { label: 'Labels of its snapshots', value: <LabelList labels={policy.labels} /> },
          {
            label: 'When a slice is deleted',
            value:
              policy.onSliceDeleted === 'keep'
                ? 'Its snapshots are kept'
                : 'They go on being pruned',
          },
          { label: 'Created', value: formatUtc(policy.createdAt) },
        ]}
      />
    </Container>
  );
}

/** One snapshot policy: its details, what it would do (the simulation) and its runs. */
export default function PolicyPage(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const policy = usePolicy(id);
  const slices = useSlices();
  const setEnabled = useSetPolicyEnabled();
  // The same query as the run history below, so the button and the history agree.
  const runs = usePolicyRuns(id, RUNS_SHOWN);
  const runPolicy = useRunPolicy({ linkToRuns: false });
  const [deleting, setDeleting] = useState(false);
  const sliceNames = new Map((slices.data ?? []).map((slice) => [slice.id, slice.name]));

  if (policy.error) {
    return <ProblemAlert error={policy.error} header="The policy could not be loaded" />;
  }
  if (!policy.data) return <Spinner size="large" />;
  const current = policy.data;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              loading={runPolicy.isPending}
              disabled={isRunGoing(runs.data)}
              disabledReason={RUN_GOING_REASON}
              onClick={() => runPolicy.mutate(current)}
            >
              Run now
            </Button>
            <Button
              loading={setEnabled.isPending}
              onClick={() => setEnabled.mutate({ policy: current, enabled: !current.enabled })}
            >
              {current.enabled ? 'Disable' : 'Enable'}
            </Button>
            <Button onClick={() => setDeleting(true)}>Delete</Button>
            <Button variant="primary" onClick={() => navigate(`/policies/${id}/edit`)}>
              Edit
            </Button>
          </SpaceBetween>
        }
      >
        {current.name}
      </Header>
      <Details policy={current} sliceNames={sliceNames} />
      <SavedPolicySimulation policyId={id} />
      <PolicyRuns policyId={id} sliceNames={sliceNames} />
      {deleting ? (
        <DeletePolicyModal
          policy={current}
          onDismiss={() => setDeleting(false)}
          onDeleted={() => navigate('/policies')}
        />
      ) : null}
    </SpaceBetween>
  );
}
