import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { CreateSnapshotPolicyRequest } from '../../api/client.ts';
import { useSlices } from '../../api/queries.ts';
import { navigate } from '../../app/router.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PolicyFields } from './policy-fields.tsx';
import {
  POLICY_FIELD_LABELS,
  type PolicyForm,
  policyBody,
  validatePolicyForm,
} from './policy-form.ts';
import { PolicyPreview } from './policy-simulation.tsx';

const FORM_ID = 'policy-form';

/**
 * The form of a policy, for creating one or changing one in place, with the preview below it.
 * What is wrong is shown beside each field once the user first submits or previews.
 */
export function PolicyEditor(props: {
  title: string;
  initial: PolicyForm;
  submitText: string;
  cancelHref: string;
  submitting: boolean;
  error: unknown;
  onSubmit: (body: CreateSnapshotPolicyRequest) => void;
}) {
  const [form, setForm] = useState(props.initial);
  const [showErrors, setShowErrors] = useState(false);
  const slices = useSlices();
  const errors = validatePolicyForm(form);
  const valid = Object.keys(errors).length === 0;
  const body = policyBody(form);
  return (
    <SpaceBetween size="l">
      <form
        id={FORM_ID}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setShowErrors(true);
          if (valid && !props.submitting) props.onSubmit(body);
        }}
      >
        <Form
          header={<Header variant="h1">{props.title}</Header>}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" formAction="none" onClick={() => navigate(props.cancelHref)}>
                Cancel
              </Button>
              <Button variant="primary" loading={props.submitting}>
                {props.submitText}
              </Button>
            </SpaceBetween>
          }
          errorText={
            props.error ? (
              <ProblemAlert error={props.error} fieldLabels={POLICY_FIELD_LABELS} />
            ) : showErrors && !valid ? (
              'Correct the fields marked below.'
            ) : undefined
          }
        >
          <PolicyFields
            form={form}
            onChange={setForm}
            errors={showErrors ? errors : {}}
            slices={slices.data ?? []}
            slicesLoading={slices.isPending}
          />
        </Form>
      </form>
      <PolicyPreview body={body} valid={valid} onInvalid={() => setShowErrors(true)} />
    </SpaceBetween>
  );
}
