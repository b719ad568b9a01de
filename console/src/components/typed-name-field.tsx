import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';

/**
 * The field of a destructive action's confirmation: the user types the name of what it destroys
 * (a slice to restore over, a snapshot to delete for good), so that the action needs intent.
 */
export function TypedNameField(props: {
  readonly noun: string;
  readonly name: string;
  readonly typed: string;
  readonly onTyped: (value: string) => void;
}) {
  return (
    <FormField
      label={
        <span>
          To confirm, type the {props.noun}'s name: <Box variant="strong">{props.name}</Box>
        </span>
      }
    >
      <Input
        value={props.typed}
        onChange={({ detail }) => props.onTyped(detail.value)}
        ariaLabel={`Type ${props.name} to confirm`}
        autoComplete={false}
        spellcheck={false}
      />
    </FormField>
  );
}
