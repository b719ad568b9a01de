import Box from '@cloudscape-design/components/box';
import Icon from '@cloudscape-design/components/icon';

/** A table cell for a protection flag: a lock and the word when on, a dash when off. */
export function ProtectedBadge(props: { on: boolean; text?: string }) {
  if (!props.on) return <Box color="text-body-secondary">—</Box>;
  return (
    <Box>
      <Icon name="lock-private" /> {props.text ?? 'Protected'}
    </Box>
  );
}
