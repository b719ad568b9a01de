import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import type { Snapshot } from '../api/client.ts';

const VERIFY_TEXT: Record<Snapshot['verifyState'], string> = {
  unverified: 'Not verified yet',
  ok: 'Intact',
  corrupt: 'Corrupt',
};

const VERIFY_TYPE: Record<Snapshot['verifyState'], StatusIndicatorProps.Type> = {
  unverified: 'stopped',
  ok: 'success',
  corrupt: 'error',
};

/** What the latest verification of a snapshot found, as a status indicator. */
export function VerifyState(props: { state: Snapshot['verifyState'] }) {
  return (
    <StatusIndicator type={VERIFY_TYPE[props.state]}>{VERIFY_TEXT[props.state]}</StatusIndicator>
  );
}

/** Why a corrupt snapshot's Restore slice and Create slice are refused, for their tooltips. */
export const CORRUPT_REFUSAL =
  'Refused: checking this snapshot found part of its image damaged, so nothing can be restored from it.';
