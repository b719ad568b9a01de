import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import type { CreateSnapshotPolicyRequest } from '../../api/client.ts';
import { simulateUnsavedPolicy, useSavedPolicySimulation } from '../../api/policy-queries.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { POLICY_FIELD_LABELS } from './policy-form.ts';
import { SimulationView } from './simulation-view.tsx';

export const DEFAULT_DAYS = 30;
const MAX_DAYS = 90;

/** The days typed, when they are a whole number from 1 to 90. */
export function simulationDaysOf(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const days = Number(text.trim());
  return days >= 1 && days <= MAX_DAYS ? days : undefined;
}

/** The days to look ahead and the button that simulates, as one small form. */
function DaysForm(props: {
  submitText: string;
  loading: boolean;
  disabled?: boolean;
  onSubmit: (days: number) => void;
}) {
  const [text, setText] = useState(String(DEFAULT_DAYS));
  const days = simulationDaysOf(text);
  const id = useId();
  return (
    <form
      id={id}
      onSubmit={(event) => {
        event.preventDefault();
        if (days !== undefined && !props.disabled) props.onSubmit(days);
      }}
    >
      <SpaceBetween direction="horizontal" size="s" alignItems="end">
        <FormField
          label="Days to look ahead"
          description={`1 to ${MAX_DAYS}`}
          errorText={days === undefined ? `A whole number from 1 to ${MAX_DAYS}.` : undefined}
        >
          <Input
            type="number"
            inputMode="numeric"
            value={text}
            onChange={({ detail }) => setText(detail.value)}
          />
        </FormField>
        <Button
          form={id}
          formAction="submit"
          loading={props.loading}
          disabled={days === undefined || props.disabled}
        >
          {props.submitText}
        </Button>
      </SpaceBetween>
    </form>
  );
}

/** A saved policy's simulation, on its page: 30 days at first, then the days asked for. */
export function SavedPolicySimulation(props: { policyId: string }) {
  const [days, setDays] = useState(DEFAULT_DAYS);
  const simulation = useSavedPolicySimulation(props.policyId, days, true);
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="What the policy would take, keep, prune and cost over the coming days. Nothing is changed."
        >
          Simulation
        </Header>
      }
    >
      <SpaceBetween size="l">
        <DaysForm submitText="Simulate" loading={simulation.isFetching} onSubmit={setDays} />
        {simulation.error ? (
          <ProblemAlert error={simulation.error} header="The policy could not be simulated" />
        ) : simulation.data ? (
          <SimulationView simulation={simulation.data} />
        ) : (
          <Spinner />
        )}
      </SpaceBetween>
    </Container>
  );
}

/**
 * Preview on the policy form: simulates the policy as typed (not saved), so that a user sees what
 * it would keep and cost before creating or changing it.
 */
export function PolicyPreview(props: {
  body: CreateSnapshotPolicyRequest;
  valid: boolean;
  onInvalid: () => void;
}) {
  const api = useApi();
  const [invalidAsked, setInvalidAsked] = useState(false);
  const typed = JSON.stringify(props.body);
  const preview = useMutation({
    mutationFn: async (days: number) => ({
      simulation: await simulateUnsavedPolicy(api, props.body, days),
      of: typed,
    }),
  });
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Simulates the policy as entered above, before it is saved. Nothing is changed."
        >
          Preview
        </Header>
      }
    >
      <SpaceBetween size="l">
        <DaysForm
          submitText="Preview"
          loading={preview.isPending}
          onSubmit={(days) => {
            if (props.valid) return preview.mutate(days);
            setInvalidAsked(true);
            props.onInvalid();
          }}
        />
        {invalidAsked && !props.valid ? (
          <Box color="text-status-error">
            Correct the fields marked above to preview the policy.
          </Box>
        ) : null}
        {preview.error ? (
          <ProblemAlert
            error={preview.error}
            header="The policy could not be simulated"
            fieldLabels={POLICY_FIELD_LABELS}
          />
        ) : null}
        {preview.data && preview.data.of !== typed ? (
          <Alert type="info">
            The form has changed since this preview: preview again to see the change.
          </Alert>
        ) : null}
        {preview.data ? <SimulationView simulation={preview.data.simulation} /> : null}
      </SpaceBetween>
    </Container>
  );
}
