import type { DomainEvent } from '../events/event-types.ts';
import { failOperation, succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { getOperation } from './get-operation.ts';

/** How an operation ends. */
export type OperationOutcome = { readonly error: null } | { readonly error: Failure };

/**
 * Finishes a running operation, succeeded or failed, and writes its event in the same write (the
 * outbox), so neither is stored without the other. An operation that has finished already is left
 * as it is and nothing is emitted again. Answers whether this call finished it.
 */
export async function finishOperation(
  deps: Pick<Ports, 'operations' | 'clock'>,
  input: { accountId: string; operationId: string },
  outcome: OperationOutcome,
  event: DomainEvent | null,
): Promise<boolean> {
  const operation = await getOperation(deps, input);
  if (operation.status !== 'running') return false;
  const now = toIsoTime(deps.clock.now());
  await deps.operations.update(
    operation,
    outcome.error === null
      ? succeedOperation(operation, now)
      : failOperation(operation, outcome.error, now),
    { events: event ? [event] : [] },
  );
  return true;
}
