import Badge from '@cloudscape-design/components/badge';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Labels } from '../api/client.ts';

/** The label changes that turn `before` into `after`: new or changed values, and null for removed keys. */
export function labelChanges(before: Labels, after: Labels): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key] !== value) changes[key] = value;
  }
  for (const key of Object.keys(before)) {
    if (!(key in after)) changes[key] = null;
  }
  return changes;
}

/** Labels as badges, `key=value`, sorted by key; a dash when there are none. */
export function LabelList(props: { labels: Labels }) {
  const entries = Object.entries(props.labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span>—</span>;
  return (
    <SpaceBetween direction="horizontal" size="xxs">
      {entries.map(([key, value]) => (
        <Badge key={key}>{value === '' ? key : `${key}=${value}`}</Badge>
      ))}
    </SpaceBetween>
  );
}
