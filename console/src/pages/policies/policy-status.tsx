import StatusIndicator from '@cloudscape-design/components/status-indicator';

/** Whether a policy runs on its schedule. */
export function EnabledStatus(props: { enabled: boolean }) {
  return props.enabled ? (
    <StatusIndicator type="success" wrapText={false}>
      Enabled
    </StatusIndicator>
  ) : (
    <StatusIndicator type="stopped" wrapText={false}>
      Disabled
    </StatusIndicator>
  );
}
