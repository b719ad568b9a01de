import type { DomainEvent } from '../events/event-types.ts';
import { failOperation, succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { getOperation } from './get-operation.ts';

/** How an operation ends. */
export type OperationOutcome = { readonly error: null } | { readonly error: Failure };

/**
 * Ends a running operation, succeeded or failed, with its event written in the same write (the
 * outbox): neither is stored without the other; an operation that has ended already is left as it
 * is and nothing is emitted again. Answers whether
 * this call ended it.
 */
export async function settleOperation(
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
