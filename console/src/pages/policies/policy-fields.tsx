import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Grid from '@cloudscape-design/components/grid';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Toggle from '@cloudscape-design/components/toggle';
import type { Slice } from '../../api/client.ts';
import { LabelsEditor } from '../../components/labels-editor.tsx';
import { MAX_TARGET_SLICES, type PolicyForm, type PolicyFormErrors } from './policy-form.ts';
import { EVERY_WORDS, type Every, RETAIN_RULE_WORDS, RETAIN_RULES } from './policy-words.ts';

const EVERY_OPTIONS = Object.entries(EVERY_WORDS).map(([value, label]) => ({ value, label }));

/**
 * The fields of a policy, grouped as the API's body is: name and state, schedule, target,
 * retention, and what each snapshot gets. `errors` are shown beside their fields.
 */
export function PolicyFields(props: {
  form: PolicyForm;
  onChange: (form: PolicyForm) => void;
  errors: PolicyFormErrors;
  slices: readonly Slice[];
  slicesLoading: boolean;
}) {
  const { form, errors } = props;
  const set = (change: Partial<PolicyForm>) => props.onChange({ ...form, ...change });
  const sliceOption = (id: string) => {
    const slice = props.slices.find((each) => each.id === id);
    return { value: id, label: slice?.name ?? id, description: slice?.region };
  };
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Policy</Header>}>
        <SpaceBetween size="l">
          <FormField label="Name" constraintText="1 to 255 characters." errorText={errors.name}>
            <Input
              value={form.name}
              onChange={({ detail }) => set({ name: detail.value })}
              ariaRequired
            />
          </FormField>
          <Toggle
            checked={form.enabled}
            onChange={({ detail }) => set({ enabled: detail.checked })}
            description="A disabled policy keeps its settings and makes no run."
          >
            Enabled
          </Toggle>
        </SpaceBetween>
      </Container>

      <Container
        header={
          <Header variant="h2" description="In UTC. Nothing runs more often than hourly.">
            Schedule
          </Header>
        }
      >
        <SpaceBetween size="l">
          <FormField label="Kind of schedule">
            <RadioGroup
              value={form.scheduleKind}
              onChange={({ detail }) =>
                set({ scheduleKind: detail.value as PolicyForm['scheduleKind'] })
              }
              items={[
                { value: 'every', label: 'At a fixed interval' },
                {
                  value: 'cron',
                  label: 'On a cron expression',
                  description: "EventBridge Scheduler's six fields, as cron(15 3 ? * MON-FRI *).",
                },
              ]}
            />
          </FormField>
          {form.scheduleKind === 'every' ? (
            <Grid gridDefinition={[{ colspan: 6 }, { colspan: 6 }]}>
              <FormField label="Every">
                <Select
                  selectedOption={{ value: form.every, label: EVERY_WORDS[form.every] }}
                  onChange={({ detail }) =>
                    set({ every: (detail.selectedOption.value ?? form.every) as Every })
                  }
                  options={EVERY_OPTIONS}
                />
              </FormField>
              <FormField
                label="At (UTC)"
                constraintText="HH:MM: the time of day the runs are counted from. Left empty: 00:00."
                errorText={errors.at}
              >
                <Input
                  value={form.at}
                  placeholder="00:00"
                  onChange={({ detail }) => set({ at: detail.value })}
                />
              </FormField>
            </Grid>
          ) : (
            <FormField label="Cron expression" errorText={errors.cron}>
              <Input
                value={form.cron}
                placeholder="cron(15 3 ? * MON-FRI *)"
                onChange={({ detail }) => set({ cron: detail.value })}
              />
            </FormField>
          )}
        </SpaceBetween>
      </Container>

      <Container header={<Header variant="h2">Target</Header>}>
        <SpaceBetween size="l">
          <FormField label="Slices to snapshot">
            <RadioGroup
              value={form.targetKind}
              onChange={({ detail }) =>
                set({ targetKind: detail.value as PolicyForm['targetKind'] })
              }
              items={[
                { value: 'sliceIds', label: 'Chosen slices' },
                {
                  value: 'sliceSelector',
                  label: 'Slices with labels',
                  description:
                    'A label selector, read at each run: a slice labelled later is picked up.',
                },
              ]}
            />
          </FormField>
          {form.targetKind === 'sliceIds' ? (
            <FormField
              label="Slices"
              constraintText={`1 to ${MAX_TARGET_SLICES} slices.`}
              errorText={errors.sliceIds}
            >
              <Multiselect
                selectedOptions={form.sliceIds.map(sliceOption)}
                onChange={({ detail }) =>
                  set({
                    sliceIds: detail.selectedOptions.flatMap((each) =>
                      each.value ? [each.value] : [],
                    ),
                  })
                }
                options={props.slices
                  .filter((slice) => slice.status !== 'deleted')
                  .map((slice) => sliceOption(slice.id))}
                filteringType="auto"
                placeholder="Choose slices"
                statusType={props.slicesLoading ? 'loading' : 'finished'}
                loadingText="Loading slices"
                empty="No slice"
                tokenLimit={5}
                deselectAriaLabel={(option) => `Remove ${option.label ?? option.value}`}
                i18nStrings={{
                  tokenLimitShowMore: 'Show more chosen slices',
                  tokenLimitShowFewer: 'Show fewer chosen slices',
                }}
              />
            </FormField>
          ) : (
            <FormField
              label="Label selector"
              constraintText="As the lists take it: env==prod, team in (web,db), !legacy."
              errorText={errors.sliceSelector}
            >
              <Input
                value={form.sliceSelector}
                placeholder="env==prod"
                onChange={({ detail }) => set({ sliceSelector: detail.value })}
              />
            </FormField>
          )}
        </SpaceBetween>
      </Container>

      <Container
        header={
          <Header
            variant="h2"
            description="Proxmox Backup Server's prune rules, applied in this order in UTC. Last keeps the newest; each other rule keeps the newest snapshot of each of its most recent periods. Whatever no rule keeps is pruned into the recycle bin; a protected snapshot is never pruned."
          >
            Keep
          </Header>
        }
      >
        <SpaceBetween size="s">
          <Grid gridDefinition={RETAIN_RULES.map(() => ({ colspan: { default: 4, m: 2 } }))}>
            {RETAIN_RULES.map((rule) => (
              <FormField key={rule} label={RETAIN_RULE_WORDS[rule].label} errorText={errors[rule]}>
                <Input
                  type="number"
                  inputMode="numeric"
                  value={form.retain[rule]}
                  onChange={({ detail }) =>
                    set({ retain: { ...form.retain, [rule]: detail.value } })
                  }
                />
              </FormField>
            ))}
          </Grid>
          {errors.retain ? <StatusIndicator type="error">{errors.retain}</StatusIndicator> : null}
        </SpaceBetween>
      </Container>

      <Container header={<Header variant="h2">Snapshots it takes</Header>}>
        <SpaceBetween size="l">
          <Toggle
            checked={form.powerOff}
            onChange={({ detail }) => set({ powerOff: detail.checked })}
            description="Off by default: a schedule never takes a machine down unless asked. On, each slice is powered off for its capture and on again at once."
          >
            Power off for each snapshot
          </Toggle>
          <FormField label="When a slice is deleted">
            <RadioGroup
              value={form.onSliceDeleted}
              onChange={({ detail }) =>
                set({ onSliceDeleted: detail.value as PolicyForm['onSliceDeleted'] })
              }
              items={[
                {
                  value: 'keep',
                  label: 'Keep its snapshots',
                  description: 'The policy stops touching them.',
                },
                {
                  value: 'apply',
                  label: 'Go on pruning them',
                  description: 'The rules keep applying to its snapshots.',
                },
              ]}
            />
          </FormField>
          <SpaceBetween size="xs">
            <Header
              variant="h3"
              description="Put on every snapshot it takes, beside slice-snapshots/policy=<id>."
            >
              Labels
            </Header>
            <LabelsEditor rows={form.labels} onChange={(labels) => set({ labels })} />
          </SpaceBetween>
        </SpaceBetween>
      </Container>
    </SpaceBetween>
  );
}
