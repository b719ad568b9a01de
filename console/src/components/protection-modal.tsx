import Box from '@cloudscape-design/components/box';
import { useMutation } from '@tanstack/react-query';
import { ConfirmModal } from './confirm-modal.tsx';

/**
 * Turns a protection on or off, after saying what it means. `what` names the protection
 * ("protection", "delete protection"), `effect` says what it stops.
 */
export function ProtectionModal(props: {
  name: string;
  what: string;
  on: boolean;
  effect: string;
  save: (on: boolean) => Promise<unknown>;
  onSaved: (on: boolean) => void;
  onDismiss: () => void;
}) {
  const mutation = useMutation({
    mutationFn: () => props.save(props.on),
    onSuccess: () => props.onSaved(props.on),
  });
  const verb = props.on ? 'Turn on' : 'Turn off';
  return (
    <ConfirmModal
      header={`${verb} ${props.what} of ${props.name}?`}
      confirmText={`${verb} ${props.what}`}
      onConfirm={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <Box variant="p">
        {props.on
          ? `While it is on, ${props.effect}. You can turn it off again at any time.`
          : `Once it is off, ${props.name} can be deleted again.`}
      </Box>
    </ConfirmModal>
  );
}
