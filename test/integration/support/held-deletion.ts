/** A Wait before delete-snapshot's first step, where a test finds a deletion under way. */
export const HOLD_DELETION = 'HoldDeletion';

/**
 * delete-snapshot with a Wait of a few seconds before `DeleteImage`, for a bed's
 * `adjustDefinition`: its steps take milliseconds, too short to act in the middle otherwise.
 */
export function heldDeletion(workflow: string, definition: string): string {
  if (workflow !== 'delete-snapshot') return definition;
  const asl = JSON.parse(definition) as { StartAt: string; States: Record<string, unknown> };
  asl.States[HOLD_DELETION] = { Type: 'Wait', Seconds: 3, Next: asl.StartAt };
  asl.StartAt = HOLD_DELETION;
  return JSON.stringify(asl);
}
