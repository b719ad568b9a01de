import type { Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { PowerState } from '../slices/slice-status.ts';
import { startSliceOperation } from './start-slice-operation.ts';

/**
 * `POST /v1/slices/{id}/power` starts a running `slice.power` operation and the change-slice-power
 * workflow, holding the slice's lock (409 while another operation holds it). Asking for the state
 * the slice is in already is fine: the host confirms it and nothing changes.
 */
export async function requestPowerChange(
  deps: Pick<Ports, 'slices' | 'operations' | 'workflows' | 'clock' | 'ids'>,
  input: { accountId: string; sliceId: string; state: PowerState },
): Promise<Operation> {
  const { operation } = await startSliceOperation(deps, {
    accountId: input.accountId,
    sliceId: input.sliceId,
    type: 'slice.power',
    workflow: 'change-slice-power',
    workflowInput: { state: input.state },
  });
  return operation;
}
