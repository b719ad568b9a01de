import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';

/** Cancel and the form's submit button, at the right of a modal's footer. */
export function ModalFooter(props: {
  form: string;
  submitText: string;
  onCancel: () => void;
  submitting: boolean;
  disabled?: boolean;
}) {
  return (
    <Box float="right">
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button
          variant="primary"
          form={props.form}
          formAction="submit"
          loading={props.submitting}
          disabled={props.disabled}
        >
          {props.submitText}
        </Button>
      </SpaceBetween>
    </Box>
  );
}
