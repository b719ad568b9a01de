import type { Operation } from './client.ts';

const OPERATION_NAMES: Record<string, string> = {
  'snapshot.create': 'Take snapshot',
  'snapshot.delete': 'Delete snapshot',
  'snapshot.copy': 'Copy snapshot',
  'snapshot.verify': 'Verify snapshot',
  'slice.create': 'Create slice',
  'slice.restore': 'Restore slice',
  'slice.power': 'Power on or off',
  'slice.delete': 'Delete slice',
  'slice.undo-restore': 'Undo restore',
};

/** What an operation does, in the words of the console's buttons. */
export function operationName(type: string): string {
  return OPERATION_NAMES[type] ?? type;
}

/** A sentence for the operation's state: "Take snapshot is running" / "… succeeded" / "… failed". */
export function operationStatusText(operation: Pick<Operation, 'type' | 'status'>): string {
  const name = operationName(operation.type);
  if (operation.status === 'running') return `${name} is running`;
  return `${name} ${operation.status}`;
}
