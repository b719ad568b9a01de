import AttributeEditor from '@cloudscape-design/components/attribute-editor';
import Input from '@cloudscape-design/components/input';

/** The API's rules for labels (README, Labels), checked as the user types. */
const KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const VALUE = /^[a-z0-9._/-]{0,63}$/;
export const MAX_LABELS = 64;

export interface LabelRow {
  readonly key: string;
  readonly value: string;
}

/** What is wrong with each row (undefined when nothing), as the form shows it. */
export function labelRowErrors(rows: readonly LabelRow[]): { key?: string; value?: string }[] {
  return rows.map((row, index) => ({
    key:
      row.key === ''
        ? 'Enter a key.'
        : !KEY.test(row.key)
          ? 'Up to 63 of a–z, 0–9, . _ / -, starting and ending with a letter or digit.'
          : rows.findIndex((other) => other.key === row.key) !== index
            ? 'This key is used already.'
            : undefined,
    value: VALUE.test(row.value) ? undefined : 'Up to 63 of a–z, 0–9, . _ / -.',
  }));
}

/** Whether every row is a label the API accepts, and there are not too many. */
export function labelRowsValid(rows: readonly LabelRow[]): boolean {
  return (
    rows.length <= MAX_LABELS && labelRowErrors(rows).every((each) => !each.key && !each.value)
  );
}

/** Rows of a labels object, sorted by key. */
export function labelRowsOf(labels: Readonly<Record<string, string>>): LabelRow[] {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

/** The labels object the rows stand for. */
export function labelsOfRows(rows: readonly LabelRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

/** Rows of labels, each a key and a value, added and removed in place, checked as typed. */
export function LabelsEditor(props: {
  rows: readonly LabelRow[];
  onChange: (rows: LabelRow[]) => void;
}) {
  const { rows, onChange } = props;
  const errors = labelRowErrors(rows);
  const update = (index: number, row: Partial<LabelRow>) =>
    onChange(rows.map((each, at) => (at === index ? { ...each, ...row } : each)));
  return (
    <AttributeEditor
      items={[...rows]}
      addButtonText="Add label"
      removeButtonText="Remove"
      disableAddButton={rows.length >= MAX_LABELS}
      additionalInfo={`Up to ${MAX_LABELS} labels. Keys and values use a–z, 0–9, . _ / -; a key may have a prefix, as team.example/owner.`}
      empty="No labels."
      onAddButtonClick={() => onChange([...rows, { key: '', value: '' }])}
      onRemoveButtonClick={({ detail }) =>
        onChange(rows.filter((_, at) => at !== detail.itemIndex))
      }
      definition={[
        {
          label: 'Key',
          errorText: (_row, index) => errors[index]?.key,
          control: (row, index) => (
            <Input
              value={row.key}
              ariaLabel={`Key of label ${index + 1}`}
              onChange={({ detail }) => update(index, { key: detail.value })}
            />
          ),
        },
        {
          label: 'Value',
          errorText: (_row, index) => errors[index]?.value,
          control: (row, index) => (
            <Input
              value={row.value}
              ariaLabel={`Value of label ${index + 1}`}
              onChange={({ detail }) => update(index, { value: detail.value })}
            />
          ),
        },
      ]}
    />
  );
}
