import type { OperationType } from '../operations/operation-type.ts';
import type { WorkflowName } from '../ports/workflow-starter.ts';

/** The workflow that carries out each type of operation; its execution is named after the operation. */
export const WORKFLOW_OF_OPERATION: Readonly<Record<OperationType, WorkflowName>> = {
  'snapshot.create': 'create-snapshot',
  'snapshot.delete': 'delete-snapshot',
  'snapshot.verify': 'verify-snapshot',
  'snapshot.copy': 'copy-snapshot',
  'slice.create': 'create-slice',
  'slice.restore': 'restore-slice',
  'slice.power': 'change-slice-power',
  'slice.delete': 'delete-slice',
};
