import Box from '@cloudscape-design/components/box';
import Icon from '@cloudscape-design/components/icon';
import type { ReactNode } from 'react';

/** A table cell for a protection flag: a lock and the word when on, a dash when off. */
export function ProtectedBadge(props: { on: boolean; text?: string }) {
  if (!props.on) return <Box color="text-body-secondary">—</Box>;
  return (
    <Box>
      <Icon name="lock-private" /> {props.text ?? 'Protected'}
    </Box>
  );
}

/**
 * A name with a lock after it while a protection is on: the protection shows in the first column,
 * so a wide table never hides it off screen. `label` is what a screen reader says for the lock.
 */
export function ProtectedName(props: { name: ReactNode; on: boolean; label: string }) {
  return (
    <span>
      {props.name}
      {props.on ? (
        <>
          {' '}
          <Icon name="lock-private" ariaLabel={props.label} />
        </>
      ) : null}
    </span>
  );
}
