import type { Operation } from '../operations/operation.ts';
import { OperationNotFoundError } from '../operations/operation-errors.ts';
import type { Ports } from '../ports/ports.ts';
import { isResourceId } from '../shared/ids.ts';

/**
 * One operation of the caller's account; OperationNotFoundError when it is missing, of another
 * account, or the id is not an operation id.
 */
export async function getOperation(
  deps: Pick<Ports, 'operations'>,
  input: { accountId: string; operationId: string },
): Promise<Operation> {
  const operation = isResourceId('operation', input.operationId)
    ? await deps.operations.get(input.accountId, input.operationId)
    : null;
  if (!operation) throw new OperationNotFoundError(input.operationId);
  return operation;
}
